/**
 * The ticket document, `tickets/{id}`: the domain {@link Ticket} with its SLA clocks in their
 * stored form (`firestore-sla-document.ts`) and a derived `scopeKey` (`tier|language|product`)
 * that agents' list queries filter on. Every adapter that reads or writes a ticket document
 * goes through {@link ticketFromDocument} and {@link ticketToDocument}, so a document is
 * validated as it is read and a malformed one is refused by name instead of travelling on.
 *
 * Objects are read loosely: a field this schema does not name is kept as it is, so that a
 * capability adding a field to tickets cannot lose it on a read-modify-write through here.
 */
import { z } from 'zod';
import { scopeKey } from '../domain/access';
import { REDACTION_KIND_ORDER } from '../domain/redaction';
import { SEVERITIES } from '../domain/sla';
import { TICKET_CHANNELS, TICKET_STATUSES, TIERS, type Ticket } from '../domain/ticket';
import { slaFromStored, slaToStored, StoredSlaSchema, type StoredSla } from './firestore-sla-document';

const severity = z.literal(SEVERITIES);
const tier = z.enum(TIERS);
const nullableString = z.string().nullable();

const EscalationSchema = z.looseObject({ from: tier, to: tier, at: z.string(), reason: z.string(), by: z.string(), severity });
const AssessmentSchema = z.looseObject({ severity, previous: severity, reason: z.string(), by: z.string(), at: z.string() });
const CsatSchema = z.looseObject({ rating: z.number(), comment: nullableString, at: z.string() });
const LegalHoldSchema = z.looseObject({ reason: z.string(), by: z.string(), at: z.string() });
const RedactionCountSchema = z.looseObject({ kind: z.enum(REDACTION_KIND_ORDER as [string, ...string[]]), count: z.number() });

const TicketDocumentSchema = z
  .looseObject({
    id: z.string(),
    orgId: z.string(),
    customerUid: nullableString,
    createdBy: z.string(),
    product: z.string(),
    language: z.string(),
    channel: z.enum(TICKET_CHANNELS),
    category: z.string(),
    subject: z.string(),
    description: z.string(),
    requestedSeverity: severity,
    severity,
    severityConfirmed: z.boolean(),
    tier,
    status: z.enum(TICKET_STATUSES),
    assigneeUid: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
    sla: StoredSlaSchema.transform(slaFromStored),
    escalations: z.array(EscalationSchema),
    severityAssessments: z.array(AssessmentSchema),
    csat: CsatSchema.nullable(),
    managementReview: z.boolean(),
    redactions: z.array(RedactionCountSchema),
    resolvedAt: nullableString,
    closedAt: nullableString,
    legalHold: LegalHoldSchema.nullable().optional(),
    deleteAfter: nullableString.optional(),
    anonymisedAt: z.string().optional(),
  })
  .transform(({ scopeKey: _derived, ...ticket }) => ticket);

/** A ticket document as written: the ticket, its stored SLA fields and its scope key. */
export type TicketDocument = Omit<Ticket, 'sla'> & { readonly sla: StoredSla; readonly scopeKey: string };

/** A stored document that is not what its collection holds: a bug or a hand edit, never retried into shape. */
export class MalformedDocumentError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string,
  ) {
    super(`The stored document ${path} is malformed: ${problems}`);
    this.name = 'MalformedDocumentError';
  }
}

/** The document of a ticket. */
export function ticketToDocument(ticket: Ticket): TicketDocument {
  return { ...ticket, sla: slaToStored(ticket.sla), scopeKey: scopeKey(ticket) };
}

/**
 * The ticket a stored document holds, validated; documents of older shapes are migrated.
 *
 * @param path - the document's path, for the error.
 * @throws MalformedDocumentError when the document is not a ticket, naming each bad field.
 */
export function ticketFromDocument(data: FirebaseFirestore.DocumentData | undefined, path: string): Ticket {
  const parsed = TicketDocumentSchema.safeParse(data);
  if (!parsed.success) throw new MalformedDocumentError(path, z.prettifyError(parsed.error).replaceAll('\n', '; '));
  return parsed.data as Ticket;
}
