/** The ticket repository's contract, kept by the in-memory fake the use-case tests run on. */
import { ticketRepositoryContract } from '../../contracts/ticket-repository';
import { InMemoryTicketRepository } from '../fakes';

describe('InMemoryTicketRepository keeps the ticket repository contract', () => {
  ticketRepositoryContract({ empty: async () => new InMemoryTicketRepository() });
});
