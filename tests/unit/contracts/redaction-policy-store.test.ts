/** The redaction policy store's contract, kept by the in-memory fake the use-case tests run on. */
import { redactionPolicyStoreContract } from '../../contracts/redaction-policy-store';
import { InMemoryRedactionPolicies } from '../fakes';

describe('InMemoryRedactionPolicies keeps the redaction policy store contract', () => {
  redactionPolicyStoreContract({ empty: async () => new InMemoryRedactionPolicies() });
});
