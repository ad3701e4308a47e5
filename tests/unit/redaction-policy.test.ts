/** Contact data by organisation: the admin's policy, applied by the one free-text redactor. */
import { putRedactionPolicy } from '../../functions/src/application/admin/put-redaction-policy';
import { addMessage } from '../../functions/src/application/tickets/add-message';
import { createTicket } from '../../functions/src/application/tickets/create-ticket';
import { ForbiddenError } from '../../functions/src/domain/errors';
import { fakeWorld, PRINCIPALS, type FakeWorld } from './fakes';

const TEXT = 'Call me at +358 40 123 4567 or write to anna.virtanen@example.fi';

async function ticketOf(world: FakeWorld, principal: typeof PRINCIPALS.customer | typeof PRINCIPALS.otherOrg) {
  const { ticket, redactions } = await createTicket(
    world,
    principal,
    { product: 'online', language: 'en', channel: 'portal', category: 'general', subject: 'Contact', description: TEXT, severity: 3 },
    null,
  );
  return { ticket, redactions };
}

describe('redaction policy per organisation', () => {
  it('when no admin has set a policy, then contact data stays readable', async () => {
    const world = fakeWorld();
    const { ticket, redactions } = await ticketOf(world, PRINCIPALS.customer);
    expect(ticket.description).toBe(TEXT);
    expect(redactions).toEqual([]);
  });

  it("when an admin turns email and phone numbers on for an organisation, then that organisation's new tickets and messages have them masked, and other organisations' not", async () => {
    const world = fakeWorld();
    const answer = await putRedactionPolicy(world, PRINCIPALS.admin, 'org-1', ['phone_number', 'email', 'email']);
    expect(answer).toEqual({ orgId: 'org-1', kinds: ['phone_number', 'email'], updatedAt: '2026-03-02T10:00:00.000Z' });
    const mine = await ticketOf(world, PRINCIPALS.customer);
    expect(mine.ticket.description).toBe(`Call me at ${'*'.repeat(4)} ** *** **** or write to ${'*'.repeat(24)}`);
    expect(mine.redactions).toEqual([
      { kind: 'email', count: 1 },
      { kind: 'phone_number', count: 1 },
    ]);
    const { message } = await addMessage(world, PRINCIPALS.customer, mine.ticket.id, { body: 'New number: 070-123 45 67', visibility: 'public' });
    expect(message.body).toBe('New number: ******* ** **');
    const theirs = await ticketOf(world, PRINCIPALS.otherOrg);
    expect(theirs.ticket.description).toBe(TEXT);
  });

  it('when an admin turns the policy off again, then new texts keep their contact data', async () => {
    const world = fakeWorld();
    await putRedactionPolicy(world, PRINCIPALS.admin, 'org-1', ['email']);
    await putRedactionPolicy(world, PRINCIPALS.admin, 'org-1', []);
    expect((await ticketOf(world, PRINCIPALS.customer)).ticket.description).toBe(TEXT);
  });

  it('when someone other than an admin sets a policy, then it is refused and nothing changes', async () => {
    const world = fakeWorld();
    await expect(putRedactionPolicy(world, PRINCIPALS.manager, 'org-1', ['email'])).rejects.toBeInstanceOf(ForbiddenError);
    await expect(putRedactionPolicy(world, PRINCIPALS.customer, 'org-1', ['email'])).rejects.toBeInstanceOf(ForbiddenError);
    expect(world.redactionPolicies.stored.size).toBe(0);
  });
});

describe('every free text of a ticket', () => {
  it('when a customer types a card number into the category, then it is masked there too and its original sealed', async () => {
    const world = fakeWorld();
    const { ticket, redactions } = await createTicket(
      world,
      PRINCIPALS.customer,
      { product: 'online', language: 'en', channel: 'portal', category: 'card 4111 1111 1111 1111', subject: 'Refund', description: 'Please refund.', severity: 3 },
      null,
    );
    expect(ticket.category).toBe('card **** **** **** 1111');
    expect(redactions).toEqual([{ kind: 'payment_card', count: 1 }]);
    expect(world.tickets.originals.flatMap((o) => o.texts.map((t) => t.source))).toEqual(['category']);
  });
});
