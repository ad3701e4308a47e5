import { acceptCsat, csatDeadline } from '../../functions/src/domain/csat';
import { assertMayMoveStatus, firstResolutionAt, isFirstResolution, resolutionAfter } from '../../functions/src/domain/resolution';
import { PRINCIPALS } from './fakes';

const T0 = '2026-03-02T10:00:00.000Z';
const T1 = '2026-03-20T10:00:00.000Z';
const working = { status: 'open', resolvedAt: null, closedAt: null, firstResolvedAt: null } as const;

describe("a ticket's one resolution", () => {
  it('when a working ticket is first resolved or closed, then that is its resolution, and later ones are not', () => {
    expect(isFirstResolution(working, 'resolved')).toBe(true);
    expect(isFirstResolution(working, 'closed')).toBe(true);
    expect(isFirstResolution(working, 'pending_customer')).toBe(false);
    const resolved = { ...working, status: 'resolved' as const, ...resolutionAfter(working, 'resolved', T0) };
    expect(resolved).toMatchObject({ resolvedAt: T0, firstResolvedAt: T0 });
    const reopened = { ...resolved, status: 'open' as const, ...resolutionAfter(resolved, 'open', T1) };
    expect(reopened).toMatchObject({ resolvedAt: null, firstResolvedAt: T0 });
    expect(isFirstResolution(reopened, 'resolved')).toBe(false);
    expect(resolutionAfter(reopened, 'resolved', T1)).toMatchObject({ resolvedAt: T1, firstResolvedAt: T0 });
  });

  it('when a ticket stored before firstResolvedAt is reopened, then its earlier resolution still counts as the first', () => {
    const legacy = { status: 'resolved' as const, resolvedAt: T0, closedAt: null };
    expect(firstResolutionAt(legacy)).toBe(T0);
    expect(resolutionAfter(legacy, 'open', T1).firstResolvedAt).toBe(T0);
  });

  it('when a reopened ticket is resolved again, then the CSAT window still ends 28 days after the first resolution', () => {
    const again = { status: 'resolved' as const, resolvedAt: T1, closedAt: null, firstResolvedAt: T0, csat: null };
    expect(csatDeadline(again)).toBe('2026-03-30T10:00:00.000Z');
    expect(() => acceptCsat(again, 5, null, Date.parse('2026-03-31T10:00:00.000Z'))).toThrow(expect.objectContaining({ code: 'CSAT.WINDOW_CLOSED' }));
  });

  it("when a colleague of the customer moves the ticket, then it is 403; its own customer and staff may", () => {
    const ticket = { customerUid: PRINCIPALS.customer.uid };
    expect(() => assertMayMoveStatus(PRINCIPALS.colleague, ticket)).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(() => assertMayMoveStatus(PRINCIPALS.colleague, { customerUid: null })).toThrow(expect.objectContaining({ code: 'AUTH.FORBIDDEN' }));
    expect(() => assertMayMoveStatus(PRINCIPALS.customer, ticket)).not.toThrow();
    expect(() => assertMayMoveStatus(PRINCIPALS.l1, ticket)).not.toThrow();
  });
});
