/**
 * Retention: how long tickets and people are kept, which records are due, the auto-close
 * rule, legal hold, anonymisation of a held ticket and the deletion receipt. Pure: times come
 * in as epoch milliseconds, nothing reads a clock.
 *
 * What is kept how long (per product, `PUT /v1/admin/retention-policies/{product}`):
 * - a `resolved` ticket without a customer reply moves to `closed` after
 *   `autoCloseResolvedAfterDays` (default 7): a customer reply reopens it, which clears
 *   `resolvedAt`, so "resolved for M days" is "no reply for M days";
 * - the sealed originals of a ticket are destroyed `destroyOriginalsAfterResolvedDays` after
 *   it was resolved (default 30): they exist for disputes, not for ever;
 * - a closed ticket is deleted `deleteClosedAfterDays` after it was closed (default 365), or
 *   on its own `deleteAfter` date if it has one, whichever comes first;
 * - a ticket under legal hold is never deleted, by any rule or request, until the hold is lifted.
 * People ({@link PeoplePolicy}): customers without any authenticated request for
 * `inactiveCustomerDays` (default 730, 24 months) and staff deactivated for more than
 * `deactivatedStaffDays` (default 30) are deleted.
 */
import { createHash } from 'node:crypto';
import { DomainError, ERROR_CODES } from './errors';
import type { LegalHold, Ticket } from './ticket';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPolicy {
  readonly deleteClosedAfterDays: number;
  readonly autoCloseResolvedAfterDays: number;
  readonly destroyOriginalsAfterResolvedDays: number;
}

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = {
  deleteClosedAfterDays: 365,
  autoCloseResolvedAfterDays: 7,
  destroyOriginalsAfterResolvedDays: 30,
};

export interface PeoplePolicy {
  readonly inactiveCustomerDays: number;
  readonly deactivatedStaffDays: number;
}

export const DEFAULT_PEOPLE_POLICY: PeoplePolicy = { inactiveCustomerDays: 730, deactivatedStaffDays: 30 };

/** The rule (or request) a deletion or anonymisation was made under; receipts name it. */
export const RETENTION_RULES = {
  closedExpired: 'retention.closed_after_days',
  deleteAfter: 'retention.delete_after',
  erasure: 'erasure_request',
  inactiveCustomer: 'retention.inactive_customer',
  deactivatedStaff: 'retention.deactivated_staff',
} as const;
export type RetentionRule = (typeof RETENTION_RULES)[keyof typeof RETENTION_RULES];

const iso = (ms: number): string => new Date(ms).toISOString();

/** The instants before which each rule of `policy` applies, at `nowMs`. */
export function retentionCutoffs(policy: RetentionPolicy, nowMs: number): { closedBefore: string; resolvedBeforeForClose: string; resolvedBeforeForOriginals: string } {
  return {
    closedBefore: iso(nowMs - policy.deleteClosedAfterDays * DAY_MS),
    resolvedBeforeForClose: iso(nowMs - policy.autoCloseResolvedAfterDays * DAY_MS),
    resolvedBeforeForOriginals: iso(nowMs - policy.destroyOriginalsAfterResolvedDays * DAY_MS),
  };
}

type RetentionFacts = Pick<Ticket, 'status' | 'closedAt'> & { readonly deleteAfter?: string | null | undefined };

/** Why a ticket is due for deletion at `nowMs`, or null if it is not (a hold is checked apart). */
export function deletionDue(ticket: RetentionFacts, policy: RetentionPolicy, nowMs: number): RetentionRule | null {
  if (ticket.deleteAfter != null && Date.parse(ticket.deleteAfter) <= nowMs) return RETENTION_RULES.deleteAfter;
  if (ticket.status === 'closed' && ticket.closedAt !== null && ticket.closedAt <= retentionCutoffs(policy, nowMs).closedBefore) {
    return RETENTION_RULES.closedExpired;
  }
  return null;
}

/** Whether a ticket is under legal hold. */
export function isHeld(ticket: { readonly legalHold?: LegalHold | null | undefined }): boolean {
  return ticket.legalHold != null;
}

/** Whether a `resolved` ticket has gone `autoCloseResolvedAfterDays` without a customer reply. */
export function autoCloseDue(ticket: Pick<Ticket, 'status' | 'resolvedAt'>, policy: RetentionPolicy, nowMs: number): boolean {
  return ticket.status === 'resolved' && ticket.resolvedAt !== null && ticket.resolvedAt <= retentionCutoffs(policy, nowMs).resolvedBeforeForClose;
}

/** The ticket moved to `closed` by the auto-close rule (its clocks already stopped at resolution). */
export function autoClose(ticket: Ticket, nowMs: number): Ticket {
  return { ...ticket, status: 'closed', closedAt: iso(nowMs), updatedAt: iso(nowMs) };
}

/** The ticket with a legal hold placed; `409` when it is under one already. */
export function placeLegalHold(ticket: Ticket, hold: LegalHold): Ticket {
  if (isHeld(ticket)) throw new DomainError(ERROR_CODES.conflict, 'The ticket is already under legal hold');
  return { ...ticket, legalHold: hold, updatedAt: hold.at };
}

/** The ticket with its legal hold lifted; `409` when it is under none. */
export function liftLegalHold(ticket: Ticket, at: string): Ticket {
  if (!isHeld(ticket)) throw new DomainError(ERROR_CODES.conflict, 'The ticket is not under legal hold');
  return { ...ticket, legalHold: null, updatedAt: at };
}

/** What replaces an erased person's text on a ticket that a legal hold keeps. */
export const ERASED_TEXT = '[removed at the request of the person who wrote it]';
/** The author of an erased customer's messages on a held ticket. */
export const ERASED_AUTHOR = 'erased-customer';
/** The author of the messages of a deleted staff member. */
export const FORMER_STAFF_AUTHOR = 'former-staff';

/**
 * A held ticket anonymised for an erased customer: no name, email or free text of theirs
 * remains — subject, description and CSAT comment are replaced by a placeholder and the
 * customer's uid is removed — while its structure, dates, escalations and staff work stay.
 */
export function anonymiseTicket(ticket: Ticket, subjectUid: string, at: string): Ticket {
  const csat = ticket.csat === null ? null : { ...ticket.csat, comment: ticket.csat.comment === null ? null : ERASED_TEXT };
  return {
    ...ticket,
    subject: ERASED_TEXT,
    description: ERASED_TEXT,
    customerUid: ticket.customerUid === subjectUid ? null : ticket.customerUid,
    createdBy: ticket.createdBy === subjectUid ? ERASED_AUTHOR : ticket.createdBy,
    csat,
    redactions: [],
    anonymisedAt: at,
    updatedAt: at,
  };
}

/** A message as far as anonymisation cares. */
export interface AuthoredText {
  readonly authorUid: string;
  readonly body: string;
}

/** An erased person's message on a held ticket: placeholder text under a neutral author; others unchanged. */
export function anonymiseMessage<M extends AuthoredText>(message: M, subjectUid: string, neutralAuthor = ERASED_AUTHOR): M {
  if (message.authorUid !== subjectUid) return message;
  return { ...message, authorUid: neutralAuthor, body: ERASED_TEXT, redactions: [] };
}

/** JSON with sorted keys at every level: the canonical form receipts hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A record that went with a deletion: its collection and id, and its content. */
export interface DeletedRecord {
  readonly kind: string;
  readonly id: string;
  readonly content: unknown;
}

/**
 * SHA-256 (hex) over the deleted content in canonical form: every record ordered by kind and
 * id, each with its canonical JSON. Whoever holds a copy of the content (a backup, a dispute
 * file) can prove it is what was deleted; the receipt itself keeps none of it.
 */
export function contentHash(records: readonly DeletedRecord[]): string {
  const ordered = [...records].sort((a, b) => (a.kind === b.kind ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.kind < b.kind ? -1 : 1));
  const hash = createHash('sha256');
  for (const record of ordered) hash.update(`${record.kind}\n${record.id}\n${canonicalJson(record.content)}\n`);
  return hash.digest('hex');
}

/** How many records of each kind went with a deletion. */
function countByKind(records: readonly DeletedRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.kind] = (counts[record.kind] ?? 0) + 1;
  return counts;
}

export type ReceiptSubject = 'ticket' | 'person';
export type ReceiptAction = 'deleted' | 'anonymised';

/**
 * The proof of one deletion or anonymisation: what kind of record, its id (a random ticket id
 * or account uid, never a name or email), when, under which rule or request, how many records
 * of each kind went with it, and the hash of what was deleted. No personal data.
 */
export interface DeletionReceipt {
  readonly id: string;
  readonly subject: ReceiptSubject;
  readonly subjectId: string;
  readonly action: ReceiptAction;
  readonly at: string;
  readonly rule: RetentionRule;
  readonly requestId: string | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly sha256: string;
}

/**
 * The receipt for deleting (or anonymising) one record with everything that went with it. Its
 * id is derived from what it proves, so a ticket deleted once has one receipt however many
 * runs raced to delete it.
 */
export function deletionReceipt(args: {
  subject: ReceiptSubject;
  subjectId: string;
  action: ReceiptAction;
  at: string;
  rule: RetentionRule;
  requestId: string | null;
  records: readonly DeletedRecord[];
}): DeletionReceipt {
  return {
    id: `${args.subject}-${args.action}-${args.subjectId}`,
    subject: args.subject,
    subjectId: args.subjectId,
    action: args.action,
    at: args.at,
    rule: args.rule,
    requestId: args.requestId,
    counts: countByKind(args.records),
    sha256: contentHash(args.records),
  };
}

/** The UTC day (`YYYY-MM-DD`) of an instant: activity is recorded at most once a day. */
export function activityDay(nowMs: number): string {
  return iso(nowMs).slice(0, 10);
}

/** Whether a customer last active on `lastActiveOn` (a UTC day) is due for deletion at `nowMs`. */
export function customerInactive(lastActiveOn: string, policy: PeoplePolicy, nowMs: number): boolean {
  return lastActiveOn <= activityDay(nowMs - policy.inactiveCustomerDays * DAY_MS);
}

/**
 * The activity day of a customer whose profile has none (written before activity was recorded):
 * the UTC day of the latest instant known of them — the account's creation, last sign-in or
 * token refresh, the profile's last change — or today when nothing is known, so that missing
 * facts never make anyone due at once: they start counting from the day the job first sees them.
 */
export function fallbackActivityDay(knownInstants: readonly (string | null)[], nowMs: number): string {
  const latest = knownInstants
    .map((instant) => (instant === null ? Number.NaN : Date.parse(instant)))
    .filter((ms) => Number.isFinite(ms) && ms <= nowMs)
    .reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return activityDay(Number.isFinite(latest) ? latest : nowMs);
}

/** The cutoffs of the people rules at `nowMs`: last-active day and deactivation instant. */
export function peopleCutoffs(policy: PeoplePolicy, nowMs: number): { inactiveOnOrBefore: string; deactivatedBefore: string } {
  return {
    inactiveOnOrBefore: activityDay(nowMs - policy.inactiveCustomerDays * DAY_MS),
    deactivatedBefore: iso(nowMs - policy.deactivatedStaffDays * DAY_MS),
  };
}
