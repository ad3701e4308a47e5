/** The support figures store's contract, kept by the in-memory fake the use-case tests run on. */
import { supportFiguresStoreContract } from '../../contracts/support-figures-store';
import { InMemorySupportFigures } from '../fakes';

describe('InMemorySupportFigures keeps the support figures store contract', () => {
  supportFiguresStoreContract({ empty: async () => new InMemorySupportFigures() });
});
