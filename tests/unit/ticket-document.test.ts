/** The ticket document at the Firestore adapter: what is written, what is read back, what is refused. */
import { slaToStored } from '../../functions/src/adapters/firestore-sla-document';
import { MalformedDocumentError, ticketFromDocument, ticketToDocument } from '../../functions/src/adapters/firestore-ticket-document';
import { TWENTY_FOUR_SEVEN_UTC } from '../../functions/src/domain/calendar';
import { markWarned, pauseSla, recordPublicStaffResponse, resolveSlaTarget, settleSla, startSla } from '../../functions/src/domain/sla';
import { aTicket } from '../builders/ticket';

const PATH = 'tickets/t-1';
const t0 = Date.parse('2026-03-02T10:00:00.000Z');
const fast = { severity: 3 as const, firstResponseSeconds: 60, nextUpdateSeconds: 120, resolutionSeconds: 600, clock: 'calendar' as const };

/** A document as Firestore hands it back: plain data, no prototype tricks. */
function stored(value: unknown): FirebaseFirestore.DocumentData {
  return JSON.parse(JSON.stringify(value)) as FirebaseFirestore.DocumentData;
}

describe('writing a ticket document', () => {
  it('when a ticket is written, then it carries its scope key and its SLA instants as ISO-8601 UTC strings in toISOString format', () => {
    const sla = startSla(resolveSlaTarget(undefined, 1), TWENTY_FOUR_SEVEN_UTC, Date.parse('2026-11-27T14:29:00.000Z'));
    const document = ticketToDocument(aTicket().atTier('L2').about('online', 'fi').withSla(sla).build());
    expect(document.scopeKey).toBe('L2|fi|online');
    expect(document.sla.firstResponseDueAt).toBe('2026-11-27T14:59:00.000Z');
    expect(document.sla.nextCheckAt).toBe('2026-11-27T14:51:30.000Z');
    expect(document.sla.nextUpdateStartedAt).toBeNull();
  });

  it('when a ticket is written and read back, then it is the same ticket, its clocks included', () => {
    let sla = recordPublicStaffResponse(startSla(fast, TWENTY_FOUR_SEVEN_UTC, t0), fast, TWENTY_FOUR_SEVEN_UTC, t0 + 30_000);
    sla = pauseSla(markWarned(settleSla(sla, ['firstResponse'], t0 + 30_000).state, ['resolution']), t0 + 40_000);
    const ticket = aTicket().withSla(sla).build();
    expect(ticketFromDocument(stored(ticketToDocument(ticket)), PATH)).toEqual(ticket);
  });
});

describe('reading a ticket document', () => {
  it('when a ticket was stored before settled outcomes and paused time existed, then they read as empty', () => {
    const { settled: _s, pausedMs: _p, ...legacySla } = slaToStored(startSla(fast, TWENTY_FOUR_SEVEN_UTC, t0));
    const legacy = { ...stored(ticketToDocument(aTicket().build())), sla: legacySla };
    const ticket = ticketFromDocument(legacy, PATH);
    expect(ticket.sla).toMatchObject({ settled: [], pausedMs: 0 });
    expect(settleSla(ticket.sla, ['firstResponse'], t0).state.settled).toEqual(['firstResponse']);
  });

  it('when a stored document has a field this reader does not know, then it is kept', () => {
    const document = { ...stored(ticketToDocument(aTicket().build())), lastCustomerReplyAt: '2026-03-03T09:00:00.000Z' };
    expect(ticketFromDocument(document, PATH)).toMatchObject({ lastCustomerReplyAt: '2026-03-03T09:00:00.000Z' });
    expect(ticketFromDocument(document, PATH)).not.toHaveProperty('scopeKey');
  });

  it('when a stored SLA instant is not an ISO-8601 instant, then the document is refused naming the field', () => {
    const document = stored(ticketToDocument(aTicket().build()));
    document['sla'].firstResponseDueAt = 'next Tuesday';
    expect(() => ticketFromDocument(document, PATH)).toThrow(MalformedDocumentError);
    expect(() => ticketFromDocument(document, PATH)).toThrow(/tickets\/t-1 is malformed: .*sla\.firstResponseDueAt/);
  });

  it('when a stored clock has a due time without its start, then the document is refused as incomplete', () => {
    const document = stored(ticketToDocument(aTicket().build()));
    document['sla'].resolutionStartedAt = null;
    expect(() => ticketFromDocument(document, PATH)).toThrow(/clock resolution is incomplete/);
  });

  it('when a stored ticket lacks a field or has one of the wrong kind, then it is refused naming each', () => {
    const { status: _missing, ...document } = stored(ticketToDocument(aTicket().build()));
    expect(() => ticketFromDocument({ ...document, tier: 'L9' }, PATH)).toThrow(/status[\s\S]*tier|tier[\s\S]*status/);
    expect(() => ticketFromDocument(undefined, PATH)).toThrow(MalformedDocumentError);
  });
});
