/**
 * The contract of {@link TicketRepository}: one suite that runs against the in-memory fake
 * (`tests/unit/contracts/`) and the Firestore adapter on the emulator
 * (`tests/integration/repository-contracts.test.ts`), so the fake the use-case tests stand on
 * cannot drift from what Firestore does. It says only what the port promises; how an adapter
 * keeps it (batches, transactions, indexes) is the adapter's own tests' business.
 */
import type { TicketChange, TicketRepository } from '../../functions/src/application/ports';
import type { Message } from '../../functions/src/application/records';
import { InvalidInputError, NotFoundError } from '../../functions/src/domain/errors';
import type { DomainEvent } from '../../functions/src/domain/events';
import type { Ticket, TicketStatus } from '../../functions/src/domain/ticket';
import { aTicket, BUILT_AT } from '../builders/ticket';

/** How a suite gets the repository under test. */
export interface TicketRepositorySubject {
  /** A repository with no tickets in it. */
  empty(): Promise<TicketRepository>;
}

const HOUR_MS = 3_600_000;
const at = (hours: number): string => new Date(Date.parse(BUILT_AT) + hours * HOUR_MS).toISOString();

let sequence = 0;
/** A message of `ticketId`, `minutes` after the builders' instant. */
function aMessage(ticketId: string, minutes: number, body = `message ${minutes}`): Message {
  sequence += 1;
  return {
    id: `msg-${String(sequence).padStart(5, '0')}`,
    ticketId,
    authorUid: 'demo-customer',
    authorKind: 'customer',
    visibility: 'public',
    body,
    createdAt: new Date(Date.parse(BUILT_AT) + minutes * 60_000).toISOString(),
    redactions: [],
  };
}

function anEvent(ticketId: string): DomainEvent {
  sequence += 1;
  return { id: `event-${String(sequence).padStart(5, '0')}`, kind: 'ticket.lifecycle', type: 'ticket.updated', occurredAt: BUILT_AT, data: { ticketId } };
}

/** The change that moves `ticket` to `status`, with `messages`. */
function moveTo(ticket: Ticket, status: TicketStatus, messages: readonly Message[] = []): TicketChange<string> {
  return { ticket: { ...ticket, status, updatedAt: at(1) }, messages, events: [anEvent(ticket.id)], result: `moved to ${status}` };
}

async function withTickets(repository: TicketRepository, tickets: readonly Ticket[]): Promise<void> {
  for (const ticket of tickets) expect(await repository.create({ ticket, events: [], idempotency: null })).toEqual({ created: true });
}

/** Registers the contract's tests in the current `describe`. */
export function ticketRepositoryContract(subject: TicketRepositorySubject): void {
  let repository: TicketRepository;
  beforeEach(async () => {
    repository = await subject.empty();
  });

  describe('creating and reading', () => {
    it('a created ticket reads back as it was written', async () => {
      const ticket = aTicket().ofSeverity(2).build();
      expect(await repository.create({ ticket, events: [anEvent(ticket.id)], idempotency: { key: 'key-1', bodyHash: 'hash-1' } })).toEqual({ created: true });
      expect(await repository.get(ticket.id)).toEqual(ticket);
      expect(await repository.findIdempotency('key-1')).toMatchObject({ bodyHash: 'hash-1', ticketId: ticket.id });
    });

    it('what was never written reads as null, and an unknown ticket has no messages', async () => {
      expect(await repository.get('no-such-ticket')).toBeNull();
      expect(await repository.getVersioned('no-such-ticket')).toBeNull();
      expect(await repository.findIdempotency('no-such-key')).toBeNull();
      expect(await repository.messages('no-such-ticket')).toEqual([]);
    });

    it('when the idempotency key belongs to another ticket, then nothing is written and the stored record is answered', async () => {
      const first = aTicket().build();
      const second = aTicket().build();
      await repository.create({ ticket: first, events: [], idempotency: { key: 'key-1', bodyHash: 'hash-1' } });
      const outcome = await repository.create({ ticket: second, events: [], idempotency: { key: 'key-1', bodyHash: 'hash-2' } });
      expect(outcome).toMatchObject({ created: false, existing: { bodyHash: 'hash-1', ticketId: first.id } });
      expect(await repository.get(second.id)).toBeNull();
    });

    it('when the very same creation is sent again (its answer was lost), then it answers created and one ticket exists', async () => {
      const ticket = aTicket().build();
      const creation = { ticket, events: [anEvent(ticket.id)], idempotency: { key: 'key-1', bodyHash: 'hash-1' } };
      expect(await repository.create(creation)).toEqual({ created: true });
      expect(await repository.create(creation)).toEqual({ created: true });
      expect((await repository.list({ orgId: ticket.orgId }, 10, null)).tickets).toEqual([ticket]);
    });
  });

  describe('changing a ticket in a transaction', () => {
    it('applies the decision: the new ticket, its messages in time order, and the outcome with result and events', async () => {
      const ticket = aTicket().build();
      await withTickets(repository, [ticket]);
      const later = aMessage(ticket.id, 20);
      const earlier = aMessage(ticket.id, 10);
      const change = moveTo(ticket, 'open', [later, earlier]);
      const outcome = await repository.mutate(ticket.id, (current) => {
        expect(current).toEqual(ticket);
        return change;
      });
      expect(outcome).toEqual({ applied: true, result: 'moved to open', ticket: change.ticket, events: change.events });
      expect(await repository.get(ticket.id)).toEqual(change.ticket);
      expect(await repository.messages(ticket.id)).toEqual([earlier, later]);
    });

    it('when the idempotency key was applied before, then it skips without deciding', async () => {
      const ticket = aTicket().build();
      await withTickets(repository, [ticket]);
      await repository.mutate(ticket.id, (current) => moveTo(current, 'open'), 'route:event-1');
      const decide = jest.fn((current: Ticket) => moveTo(current, 'on_hold'));
      expect(await repository.mutate(ticket.id, decide, 'route:event-1')).toEqual({ applied: false });
      expect(decide).not.toHaveBeenCalled();
      expect((await repository.get(ticket.id))?.status).toBe('open');
    });

    it('when the ticket does not exist, then it rejects with NotFoundError', async () => {
      await expect(repository.mutate('no-such-ticket', (current) => moveTo(current, 'open'))).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rewrites stored messages from their body as stored', async () => {
      const ticket = aTicket().build();
      await withTickets(repository, [ticket]);
      const message = aMessage(ticket.id, 5, 'my password is hunter2');
      await repository.mutate(ticket.id, (current) => moveTo(current, 'open', [message]));
      await repository.mutate(ticket.id, (current) => ({
        ticket: current,
        rewriteMessages: [{ id: message.id, rewrite: (body) => body.replace('hunter2', '[password]') }],
        result: null,
      }));
      expect(await repository.messages(ticket.id)).toEqual([{ ...message, body: 'my password is [password]' }]);
    });
  });

  describe('listing', () => {
    it('lists newest first, ties by id from the last, and pages with the cursor until it is null', async () => {
      const tickets = [
        aTicket().withId('list-a').createdAt(at(1)).build(),
        aTicket().withId('list-b').createdAt(at(3)).build(),
        aTicket().withId('list-c').createdAt(at(2)).build(),
        aTicket().withId('list-d').createdAt(at(2)).build(),
        aTicket().withId('list-e').createdAt(at(0)).build(),
      ];
      await withTickets(repository, tickets);
      const ids: string[][] = [];
      let cursor: string | null = null;
      do {
        const page = await repository.list({ orgId: 'demo-org' }, 2, cursor);
        ids.push(page.tickets.map((t) => t.id));
        cursor = page.nextCursor;
      } while (cursor !== null && ids.length < 10);
      expect(ids).toEqual([['list-b', 'list-d'], ['list-c', 'list-a'], ['list-e']]);
    });

    it('has no next cursor when a page holds the last ticket', async () => {
      await withTickets(repository, [aTicket().createdAt(at(1)).build(), aTicket().createdAt(at(2)).build()]);
      const page = await repository.list({ orgId: 'demo-org' }, 2, null);
      expect(page.tickets).toHaveLength(2);
      expect(page.nextCursor).toBeNull();
    });

    it('filters by organisation, tier, status, severity and scope key', async () => {
      const plain = aTicket().withId('f-plain').build();
      const other = aTicket().withId('f-other').ofCustomer('other-customer', 'other-org').build();
      const l2 = aTicket().withId('f-l2').atTier('L2').build();
      const open = aTicket().withId('f-open').withStatus('open').build();
      const sev1 = aTicket().withId('f-sev1').ofSeverity(1).build();
      const finnish = aTicket().withId('f-fi').about('online', 'fi').build();
      await withTickets(repository, [plain, other, l2, open, sev1, finnish]);
      const ids = async (filter: Parameters<TicketRepository['list']>[0]) => (await repository.list(filter, 10, null)).tickets.map((t) => t.id).sort();

      expect(await ids({ orgId: 'other-org' })).toEqual(['f-other']);
      expect(await ids({ tier: 'L2' })).toEqual(['f-l2']);
      expect(await ids({ status: 'open' })).toEqual(['f-open']);
      expect(await ids({ severity: 1 })).toEqual(['f-sev1']);
      expect(await ids({ scopeKeys: ['L1|fi|online'] })).toEqual(['f-fi']);
      expect(await ids({ orgId: 'demo-org', tier: 'L1', status: 'new', severity: 3, scopeKeys: ['L1|en|online'] })).toEqual(['f-plain']);
    });

    it('finds tickets of any scope key however many an agent has (more than one query takes)', async () => {
      const products = Array.from({ length: 35 }, (_, i) => `product-${i}`);
      const first = aTicket().about('product-0').createdAt(at(1)).build();
      const last = aTicket().about('product-34').createdAt(at(2)).build();
      await withTickets(repository, [first, last, aTicket().about('elsewhere').build()]);
      const page = await repository.list({ scopeKeys: products.map((p) => `L1|en|${p}`) }, 10, null);
      expect(page.tickets.map((t) => t.id)).toEqual([last.id, first.id]);
    });

    it('refuses a malformed cursor with InvalidInputError', async () => {
      await expect(repository.list({}, 10, 'not a cursor')).rejects.toBeInstanceOf(InvalidInputError);
    });
  });

  describe('the sweep: due tickets and optimistic writes', () => {
    it('finds the tickets whose SLA check is due, earliest first, at most the limit', async () => {
      const tickets = [aTicket().createdAt(at(2)).build(), aTicket().createdAt(at(0)).build(), aTicket().createdAt(at(1)).build()];
      await withTickets(repository, tickets);
      const [late, early, middle] = tickets as [Ticket, Ticket, Ticket];
      const dueAt = new Date(middle.sla.nextCheckAt ?? 0).toISOString();
      expect((await repository.findDue(dueAt, 10)).map((v) => v.ticket.id)).toEqual([early.id, middle.id]);
      expect((await repository.findDue(dueAt, 1)).map((v) => v.ticket)).toEqual([early]);
      expect(late.sla.nextCheckAt).toBeGreaterThan(middle.sla.nextCheckAt ?? Infinity);
    });

    it('writes a change when the ticket is still at the version read, with its messages', async () => {
      const ticket = aTicket().build();
      await withTickets(repository, [ticket]);
      const read = await repository.getVersioned(ticket.id);
      expect(read?.ticket).toEqual(ticket);
      const message = aMessage(ticket.id, 1);
      const change = moveTo(ticket, 'open', [message]);
      expect(await repository.commitIfUnchanged(read?.version ?? '', change)).toBe(true);
      expect(await repository.get(ticket.id)).toEqual(change.ticket);
      expect(await repository.messages(ticket.id)).toEqual([message]);
      expect((await repository.getVersioned(ticket.id))?.version).not.toBe(read?.version);
    });

    it('when another writer changed the ticket since it was read, then it writes nothing and answers false', async () => {
      const ticket = aTicket().build();
      await withTickets(repository, [ticket]);
      const read = await repository.getVersioned(ticket.id);
      await repository.mutate(ticket.id, (current) => moveTo(current, 'on_hold'));
      expect(await repository.commitIfUnchanged(read?.version ?? '', moveTo(ticket, 'open', [aMessage(ticket.id, 1)]))).toBe(false);
      expect((await repository.get(ticket.id))?.status).toBe('on_hold');
      expect(await repository.messages(ticket.id)).toEqual([]);
    });
  });

  describe('agent load', () => {
    it('counts each agent\'s tickets in an open status, and zero for an agent with none', async () => {
      const statuses: TicketStatus[] = ['new', 'open', 'pending_customer', 'on_hold', 'resolved', 'closed'];
      await withTickets(repository, [
        ...statuses.map((status) => aTicket().assignedTo('agent-a').withStatus(status).build()),
        aTicket().assignedTo('agent-b').withStatus('open').build(),
        aTicket().assignedTo(null).build(),
      ]);
      expect(await repository.openAssignmentCounts(['agent-a', 'agent-b', 'agent-c'])).toEqual(
        new Map([
          ['agent-a', 4],
          ['agent-b', 1],
          ['agent-c', 0],
        ]),
      );
    });
  });
}
