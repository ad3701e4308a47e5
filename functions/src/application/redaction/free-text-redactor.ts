/**
 * The one place every free text a person writes passes before it is stored, published or
 * logged. Use cases ask the {@link FreeTextRedactor} for the redaction of the organisation the
 * text belongs to and run every text through it; nothing else calls the domain's `redactText`.
 *
 * **New capabilities must use it** for every free-text field they take — incident updates,
 * erasure placeholders, guide bodies and search texts, chat messages, reasons, comments —
 * before the text reaches a repository, an event, a log line or an index. The integration
 * test `tests/integration/redaction-everywhere.test.ts` sends a corpus through every
 * text-taking endpoint and searches the stored documents, the published messages and the
 * log for each raw value: add new endpoints to it.
 */
import {
  DEFAULT_REDACTION_POLICY,
  redactText,
  STRICTEST_REDACTION_POLICY,
  type ContactKind,
  type RedactionPolicy,
  type RedactionResult,
} from '../../domain/redaction';

/** Redacts one text: the masked text and what was masked. Synchronous, so it is cheap to call per field. */
export type TextRedaction = (text: string) => RedactionResult;

/** The redaction every use case applies to free text. */
export interface FreeTextRedactor {
  /**
   * The redaction for texts of an organisation's tickets (written by its customers or by
   * staff about them): the required kinds, plus the contact data the organisation's policy
   * turns on. Resolve it once per use case and apply it to each field.
   */
  forOrganisation(orgId: string): Promise<TextRedaction>;
  /**
   * The redaction for texts that belong to no organisation and may be shown to anyone
   * (incident updates, the status page, audit reasons): every kind, contact data included.
   */
  readonly forEveryone: TextRedaction;
}

/** An organisation's redaction policy as stored: who set it and when. */
export interface StoredRedactionPolicy {
  readonly orgId: string;
  readonly contactKinds: readonly ContactKind[];
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** Organisations' redaction policies; reads may be served from a short per-instance cache. */
export interface RedactionPolicyStore {
  /** The stored policy, or the default (no contact data) for an organisation without one. */
  policyOf(orgId: string): Promise<RedactionPolicy>;
  put(policy: StoredRedactionPolicy): Promise<void>;
}

/**
 * The redaction of {@link FreeTextRedactor.forEveryone}, usable before any policy store
 * exists: what a log line passes when nothing is known yet of whose text it may quote (an
 * error logged at a cold start, before the instance's services are built).
 */
export const redactForEveryone: TextRedaction = (text) => redactText(text, STRICTEST_REDACTION_POLICY);

/** The {@link FreeTextRedactor} over a policy store. */
export class PolicyFreeTextRedactor implements FreeTextRedactor {
  readonly forEveryone: TextRedaction = redactForEveryone;

  constructor(private readonly policies: RedactionPolicyStore) {}

  async forOrganisation(orgId: string): Promise<TextRedaction> {
    const policy = await this.policies.policyOf(orgId);
    if (policy.contactKinds.length === 0) return defaultRedaction;
    return (text) => redactText(text, policy);
  }
}

const defaultRedaction: TextRedaction = (text) => redactText(text, DEFAULT_REDACTION_POLICY);
