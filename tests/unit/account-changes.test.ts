import {
  approveGrant,
  decideStaffChange,
  GRANT_TTL_MS,
  grantsPrivacyAccess,
  requestGrant,
  type StaffAccount,
} from '../../functions/src/domain/account-changes';
import { DomainError, ForbiddenError } from '../../functions/src/domain/errors';

const staff = (role: StaffAccount['role'], active = true): StaffAccount => ({
  kind: 'staff',
  role,
  tier: null,
  languages: [],
  products: [],
  trainedAt: '2026-01-05T09:00:00.000Z',
  active,
});
const NOW = Date.parse('2026-12-01T12:00:00.000Z');

describe('staff changes', () => {
  it('when an admin changes their own role, then it is refused; their other fields they may change', () => {
    expect(() => decideStaffChange('a', 'a', staff('admin'), staff('privacy_officer'))).toThrow(ForbiddenError);
    expect(() => decideStaffChange('a', 'a', null, staff('admin'))).toThrow(ForbiddenError);
    expect(decideStaffChange('a', 'a', staff('admin'), { ...staff('admin'), languages: ['fi'] })).toBe('apply');
  });

  it('when someone becomes an active privacy officer, then a second admin must approve; keeping or losing the role applies at once', () => {
    expect(decideStaffChange('a', 'm', staff('manager'), staff('privacy_officer'))).toBe('second-admin');
    expect(decideStaffChange('a', 'p', staff('privacy_officer', false), staff('privacy_officer'))).toBe('second-admin');
    expect(decideStaffChange('a', 'new', null, staff('privacy_officer'))).toBe('second-admin');
    expect(grantsPrivacyAccess(staff('privacy_officer'), { ...staff('privacy_officer'), languages: ['sv'] })).toBe(false);
    expect(decideStaffChange('a', 'p', staff('privacy_officer'), staff('manager'))).toBe('apply');
    expect(decideStaffChange('a', 'm', staff('manager'), staff('privacy_officer', false))).toBe('apply');
  });
});

describe('grant approval', () => {
  const grant = requestGrant('g1', 'm', 'a', NOW, staff('manager'), staff('privacy_officer'));

  it('when a second admin approves while the account is unchanged, then the grant is approved by them', () => {
    expect(approveGrant(grant, 'b', staff('manager'), NOW + 1000)).toMatchObject({ status: 'approved', approvedBy: 'b', after: staff('privacy_officer') });
  });

  it('when the requester or the account itself approves, then it is refused', () => {
    expect(() => approveGrant(grant, 'a', staff('manager'), NOW)).toThrow(ForbiddenError);
    expect(() => approveGrant(grant, 'm', staff('manager'), NOW)).toThrow(ForbiddenError);
  });

  it('when the grant is approved already, has expired, or the account changed, then it is a conflict', () => {
    const approved = approveGrant(grant, 'b', staff('manager'), NOW);
    expect(() => approveGrant(approved, 'c', staff('privacy_officer'), NOW)).toThrow(DomainError);
    expect(() => approveGrant(grant, 'b', staff('manager'), NOW + GRANT_TTL_MS + 1)).toThrow(/expired/);
    expect(() => approveGrant(grant, 'b', { ...staff('manager'), products: ['online'] }, NOW)).toThrow(/changed/);
  });
});
