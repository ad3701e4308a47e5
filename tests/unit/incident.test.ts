import {
  applyUpdate,
  assertIncidentTransition,
  defaultNoticeMode,
  incidentImpact,
  linkTicket,
  maintenanceStatusDue,
  nextMaintenanceCheck,
  noticeRecipients,
} from '../../functions/src/domain/incident';
import { DomainError } from '../../functions/src/domain/errors';
import { aLinkedTicket, anIncident } from './builders/incident';

const update = (status: Parameters<typeof applyUpdate>[1]['status'], extra: Partial<Parameters<typeof applyUpdate>[1]> = {}) => ({
  id: `upd-${status}`,
  status,
  message: `Now ${status}`,
  publish: true,
  at: '2026-11-30T11:00:00.000Z',
  byUid: 'agent-2',
  ...extra,
});

describe('incident status machine', () => {
  it('when an incident moves forward, back from monitoring, or stays in its status, then the move is legal', () => {
    for (const [from, to] of [
      ['investigating', 'identified'],
      ['identified', 'monitoring'],
      ['monitoring', 'investigating'],
      ['investigating', 'investigating'],
      ['investigating', 'resolved'],
    ] as const) {
      expect(() => assertIncidentTransition('incident', from, to)).not.toThrow();
    }
  });

  it('when a resolved incident or completed maintenance is moved again, or a kind takes the other kind\'s status, then it is an illegal transition', () => {
    expect(() => assertIncidentTransition('incident', 'resolved', 'investigating')).toThrow(DomainError);
    expect(() => assertIncidentTransition('maintenance', 'completed', 'in_progress')).toThrow(DomainError);
    expect(() => assertIncidentTransition('incident', 'investigating', 'in_progress')).toThrow(DomainError);
    expect(() => assertIncidentTransition('maintenance', 'scheduled', 'identified')).toThrow(DomainError);
    expect(() => assertIncidentTransition('maintenance', 'scheduled', 'verifying')).toThrow(DomainError);
  });

  it('when an incident is resolved, then every affected product is operational again, the revision grows and the resolution time is set', () => {
    const opened = anIncident().affecting({ product: 'online', status: 'major_outage' }, { product: 'tms', status: 'degraded_performance' }).build();
    const resolved = applyUpdate(opened, update('resolved'));
    expect(resolved.affected).toEqual([
      { product: 'online', status: 'operational' },
      { product: 'tms', status: 'operational' },
    ]);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: '2026-11-30T11:00:00.000Z', revision: opened.revision + 1 });
    expect(resolved.updates.map((u) => u.status)).toEqual(['investigating', 'resolved']);
  });
});

describe('impact', () => {
  it('when components are degraded, partly out or fully out, then the impact is minor, major or critical, the worst one counting', () => {
    expect(incidentImpact({ kind: 'incident', affected: [{ product: 'a', status: 'degraded_performance' }] })).toBe('minor');
    expect(incidentImpact({ kind: 'incident', affected: [{ product: 'a', status: 'partial_outage' }] })).toBe('major');
    expect(
      incidentImpact({
        kind: 'incident',
        affected: [
          { product: 'a', status: 'degraded_performance' },
          { product: 'b', status: 'major_outage' },
        ],
      }),
    ).toBe('critical');
    expect(incidentImpact({ kind: 'incident', affected: [{ product: 'a', status: 'operational' }] })).toBe('none');
    expect(incidentImpact({ kind: 'maintenance', affected: [{ product: 'a', status: 'under_maintenance' }] })).toBe('maintenance');
  });
});

describe('telling customers', () => {
  it('when one organisation is affected, then customers are told directly; when more than one is, then on the status page', () => {
    expect(defaultNoticeMode('incident', 1)).toBe('direct');
    expect(defaultNoticeMode('incident', 2)).toBe('status_page');
    expect(defaultNoticeMode('maintenance', 0)).toBe('status_page');
  });

  it('when a ticket of a second organisation links, then the default moves the incident to the status page, unless staff chose the mode', () => {
    const direct = anIncident().linking(aLinkedTicket('t1', 'org-a')).build();
    expect(direct.noticeMode).toBe('direct');
    expect(linkTicket(direct, aLinkedTicket('t2', 'org-b')).noticeMode).toBe('status_page');
    expect(linkTicket(direct, aLinkedTicket('t2', 'org-a')).noticeMode).toBe('direct');
    const chosen = applyUpdate(direct, update('identified', { noticeMode: 'direct' }));
    expect(linkTicket(chosen, aLinkedTicket('t2', 'org-b')).noticeMode).toBe('direct');
  });

  it('when a ticket is linked twice, then nothing changes', () => {
    const incident = anIncident().linking(aLinkedTicket('t1')).build();
    expect(linkTicket(incident, aLinkedTicket('t1'))).toBe(incident);
  });

  it('when a published update is told directly, then each reporting customer gets one notice and, if all are told, each other organisation one', () => {
    const incident = linkTicket(
      linkTicket(anIncident().linking(aLinkedTicket('t1', 'org-a')).build(), aLinkedTicket('t2', 'org-a')),
      aLinkedTicket('t3', 'org-a', 'second-customer'),
    );
    const direct = { ...incident, noticeMode: 'direct' as const };
    expect(noticeRecipients(direct, { publish: true }, [])).toEqual([
      { kind: 'customer', uid: 'org-a-customer' },
      { kind: 'customer', uid: 'second-customer' },
    ]);
    expect(noticeRecipients({ ...direct, notifyAllOrganisations: true }, { publish: true }, ['org-a', 'org-b', 'org-b'])).toEqual([
      { kind: 'customer', uid: 'org-a-customer' },
      { kind: 'customer', uid: 'second-customer' },
      { kind: 'organisation', orgId: 'org-b' },
    ]);
    expect(noticeRecipients(direct, { publish: false }, [])).toEqual([]);
    expect(noticeRecipients({ ...direct, noticeMode: 'status_page' }, { publish: true }, [])).toEqual([]);
  });
});

describe('planned maintenance', () => {
  const planned = () => anIncident().maintenance('2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z').build();

  it('when maintenance is planned, then it is scheduled with its products operational and told on the status page', () => {
    expect(planned()).toMatchObject({ status: 'scheduled', noticeMode: 'status_page' });
    expect(nextMaintenanceCheck(planned())).toBe('2026-12-01T02:00:00.000Z');
  });

  it('when its window starts, then it goes in progress with its products under maintenance; when the window ends, then it is completed', () => {
    const before = planned();
    expect(maintenanceStatusDue(before, Date.parse('2026-12-01T01:59:59.000Z'))).toBeNull();
    expect(maintenanceStatusDue(before, Date.parse('2026-12-01T02:00:00.000Z'))).toBe('in_progress');
    const started = applyUpdate(before, update('in_progress'));
    expect(started.affected).toEqual([{ product: 'online', status: 'under_maintenance' }]);
    expect(nextMaintenanceCheck(started)).toBe('2026-12-01T04:00:00.000Z');
    expect(maintenanceStatusDue(started, Date.parse('2026-12-01T03:00:00.000Z'))).toBeNull();
    expect(maintenanceStatusDue(started, Date.parse('2026-12-01T04:00:00.000Z'))).toBe('completed');
    const completed = applyUpdate(started, update('completed'));
    expect(completed.affected).toEqual([{ product: 'online', status: 'operational' }]);
    expect(nextMaintenanceCheck(completed)).toBeNull();
    expect(maintenanceStatusDue(completed, Date.parse('2026-12-02T00:00:00.000Z'))).toBeNull();
  });

  it('when a window passed entirely between two runs, then the maintenance is completed at once', () => {
    expect(maintenanceStatusDue(planned(), Date.parse('2026-12-01T05:00:00.000Z'))).toBe('completed');
  });
});
