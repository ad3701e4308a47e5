/** Who may call an operation at all, decided before anything the caller sent is read. */
import { assertMayCall, EVERY_CALLER, type Callers } from '../../functions/src/domain/access';
import { ForbiddenError, NotFoundError } from '../../functions/src/domain/errors';
import { PRINCIPALS } from './fakes';

const PRIVACY_OFFICERS: Callers = { customers: { notFound: 'The ticket' }, staff: ['privacy_officer'] };

describe('assertMayCall', () => {
  it('when the role is among the callers, then the call goes on', () => {
    expect(() => assertMayCall(PRINCIPALS.manager, { customers: 'forbidden', staff: ['agent', 'manager'] })).not.toThrow();
    expect(() => assertMayCall(PRINCIPALS.customer, { customers: 'allowed', staff: [] })).not.toThrow();
  });

  it('when a staff role is not among the callers, then it is refused with 403', () => {
    expect(() => assertMayCall(PRINCIPALS.l1, PRIVACY_OFFICERS)).toThrow(ForbiddenError);
    expect(() => assertMayCall(PRINCIPALS.admin, { customers: 'allowed', staff: ['agent', 'manager'] })).toThrow(ForbiddenError);
  });

  it('when an operation is for customers only, then every staff role is refused', () => {
    expect(() => assertMayCall(PRINCIPALS.manager, { customers: 'allowed', staff: [] })).toThrow('open to customers only');
  });

  it('when customers are refused, then a customer gets 403, or 404 where a refusal would reveal a ticket', () => {
    expect(() => assertMayCall(PRINCIPALS.customer, { customers: 'forbidden', staff: ['manager'] })).toThrow(ForbiddenError);
    expect(() => assertMayCall(PRINCIPALS.customer, PRIVACY_OFFICERS)).toThrow(NotFoundError);
  });

  it('every signed-in caller may call an operation open to all; scope narrows what they see later', () => {
    for (const principal of Object.values(PRINCIPALS)) expect(() => assertMayCall(principal, EVERY_CALLER)).not.toThrow();
  });
});
