import { assertCustomerOf, assertInAgentScope, assertOrganisationExists } from '../../functions/src/domain/agent-intake';
import { PRINCIPALS } from './fakes';

describe("an agent's ticket", () => {
  it('when it is outside the tier, language or product of the agent, then it is 403', () => {
    expect(() => assertInAgentScope(PRINCIPALS.l1, { tier: 'L1', language: 'en', product: 'online' })).not.toThrow();
    for (const ticket of [
      { tier: 'L1', language: 'de', product: 'online' },
      { tier: 'L1', language: 'en', product: 'health' },
    ] as const) {
      expect(() => assertInAgentScope(PRINCIPALS.l1, ticket)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    }
    expect(() => assertInAgentScope(PRINCIPALS.l2, { tier: 'L1', language: 'en', product: 'online' })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
  });

  it('when its organisation is unknown or its customer is not of it, then it is a 422', () => {
    expect(() => assertOrganisationExists('org-x', false)).toThrow(expect.objectContaining({ code: 'INTAKE.UNKNOWN_ORGANISATION' }));
    expect(() => assertOrganisationExists('org-1', true)).not.toThrow();
    for (const customer of [null, PRINCIPALS.otherOrg, PRINCIPALS.l1]) {
      expect(() => assertCustomerOf(customer, 'org-1')).toThrow(expect.objectContaining({ code: 'INTAKE.CUSTOMER_NOT_IN_ORGANISATION' }));
    }
    expect(() => assertCustomerOf(PRINCIPALS.colleague, 'org-1')).not.toThrow();
  });
});
