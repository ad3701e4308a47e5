/** The status summary store's contract, kept by the in-memory fake the status views' tests run on. */
import { statusSummaryStoreContract } from '../../contracts/status-summary-store';
import { InMemoryStatusSummaryStore } from '../status-fakes';

describe('InMemoryStatusSummaryStore keeps the status summary store contract', () => {
  statusSummaryStoreContract({ empty: async () => new InMemoryStatusSummaryStore() });
});
