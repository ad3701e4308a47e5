import { applyUpdate, linkTicket } from '../../functions/src/domain/incident';
import { emptySummary, pageStatus, productHistory, projectIncident, statusView } from '../../functions/src/domain/status-summary';
import { aLinkedTicket, anIncident } from './builders/incident';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const PRODUCTS = [
  { id: 'online', name: 'Online' },
  { id: 'tms', name: 'TMS' },
];

const note = (status: 'identified' | 'resolved', at: string, publish = true) => ({ id: `u-${status}-${at}`, status, message: `${status} note`, publish, at, byUid: 'agent' });

describe('projecting incidents into the status summary', () => {
  it('when a public incident is projected, then it shows with its published updates only, and the same revision again changes nothing', () => {
    const incident = applyUpdate(anIncident().onTheStatusPage().build(), note('identified', '2026-11-30T10:30:00.000Z', false));
    const summary = projectIncident(emptySummary('2026-11-30T00:00:00.000Z'), incident, '2026-11-30T10:31:00.000Z', NOW);
    expect(summary?.incidents['inc-1']?.updates.map((u) => u.message)).toEqual(['We are investigating.']);
    expect(summary?.revision).toBe(1);
    expect(projectIncident(summary!, incident, '2026-11-30T10:32:00.000Z', NOW)).toBeNull();
  });

  it('when an older revision arrives after a newer one, then the newer one stays', () => {
    const first = anIncident().onTheStatusPage().build();
    const second = applyUpdate(first, note('identified', '2026-11-30T10:30:00.000Z'));
    const summary = projectIncident(emptySummary(''), second, 'x', NOW)!;
    expect(projectIncident(summary, first, 'y', NOW)).toBeNull();
    expect(summary.incidents['inc-1']?.status).toBe('identified');
  });

  it('when an incident is told directly, then the status page does not show it, and it leaves the page when it turns direct', () => {
    const direct = anIncident().linking(aLinkedTicket('t1')).build();
    expect(projectIncident(emptySummary(''), direct, 'x', NOW)?.incidents).toEqual({});
    const becamePublic = linkTicket(direct, aLinkedTicket('t2', 'org-b'));
    const shown = projectIncident(emptySummary(''), becamePublic, 'x', NOW)!;
    expect(Object.keys(shown.incidents)).toEqual(['inc-1']);
    const hidden = applyUpdate(becamePublic, { ...note('identified', '2026-11-30T11:00:00.000Z'), noticeMode: 'direct' });
    expect(projectIncident(shown, hidden, 'y', NOW)?.incidents).toEqual({});
  });

  it('when a resolved incident is older than 90 days, then it leaves the summary', () => {
    const old = applyUpdate(anIncident().withId('old').onTheStatusPage().openedAt('2026-08-01T10:00:00.000Z').build(), note('resolved', '2026-08-01T11:00:00.000Z'));
    const recent = anIncident().withId('recent').onTheStatusPage().affecting({ product: 'tms', status: 'partial_outage' }).build();
    const withOld = projectIncident(emptySummary(''), old, 'x', Date.parse('2026-08-02T00:00:00.000Z'))!;
    const later = projectIncident(withOld, recent, 'y', NOW)!;
    expect(Object.keys(later.incidents)).toEqual(['recent']);
  });
});

describe('what the page shows', () => {
  it('when one product is partly out and another fine, then the page says Partial System Outage with indicator major', () => {
    const incident = anIncident().onTheStatusPage().affecting({ product: 'tms', status: 'partial_outage' }).build();
    const view = statusView(projectIncident(emptySummary(''), incident, 'x', NOW)!, PRODUCTS, NOW);
    expect(view.components.map((c) => [c.id, c.status])).toEqual([
      ['online', 'operational'],
      ['tms', 'partial_outage'],
    ]);
    expect(view.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(view.unresolved.map((i) => i.id)).toEqual(['inc-1']);
  });

  it('when nothing is wrong, then All Systems Operational; under maintenance only, then Service Under Maintenance', () => {
    expect(pageStatus(['operational', 'operational'])).toEqual({ indicator: 'none', description: 'All Systems Operational' });
    expect(pageStatus(['operational', 'under_maintenance'])).toEqual({ indicator: 'maintenance', description: 'Service Under Maintenance' });
    expect(pageStatus(['under_maintenance', 'major_outage']).indicator).toBe('critical');
  });

  it('when maintenance is planned, then it is upcoming until it starts and active while it runs', () => {
    const planned = anIncident().withId('m1').maintenance('2026-12-01T02:00:00.000Z', '2026-12-01T04:00:00.000Z').build();
    const upcoming = statusView(projectIncident(emptySummary(''), planned, 'x', NOW)!, PRODUCTS, NOW);
    expect(upcoming.upcomingMaintenance.map((i) => i.id)).toEqual(['m1']);
    expect(upcoming.components[0]?.status).toBe('operational');
    const running = applyUpdate(planned, { ...note('identified', '2026-12-01T02:00:00.000Z'), status: 'in_progress' });
    const active = statusView(projectIncident(emptySummary(''), running, 'x', NOW)!, PRODUCTS, NOW);
    expect(active.activeMaintenance.map((i) => i.id)).toEqual(['m1']);
    expect(active.components[0]?.status).toBe('under_maintenance');
  });
});

describe('90 days of history', () => {
  it('when a product was fully out for six hours yesterday and partly out for two hours today, then those days show 75 % and about 96 % uptime', () => {
    const yesterday = applyUpdate(
      anIncident().withId('y').onTheStatusPage().openedAt('2026-11-29T06:00:00.000Z').build(),
      note('resolved', '2026-11-29T12:00:00.000Z'),
    );
    const today = applyUpdate(
      anIncident().withId('t').onTheStatusPage().affecting({ product: 'online', status: 'partial_outage' }).openedAt('2026-11-30T08:00:00.000Z').build(),
      note('resolved', '2026-11-30T12:00:00.000Z'),
    );
    let summary = projectIncident(emptySummary(''), yesterday, 'x', NOW)!;
    summary = projectIncident(summary, today, 'y', NOW)!;
    const days = productHistory(summary, 'online', NOW);
    expect(days).toHaveLength(90);
    expect(days[89]).toEqual({ date: '2026-11-30', uptime: 1 - (4 * 0.5) / 24, worst: 'partial_outage' });
    expect(days[88]).toEqual({ date: '2026-11-29', uptime: 0.75, worst: 'major_outage' });
    expect(days[87]).toEqual({ date: '2026-11-28', uptime: 1, worst: 'operational' });
    expect(productHistory(summary, 'tms', NOW).every((d) => d.uptime === 1)).toBe(true);
  });

  it('when an outage is still open, then it counts up to now', () => {
    const open = anIncident().onTheStatusPage().openedAt('2026-11-30T06:00:00.000Z').build();
    const days = productHistory(projectIncident(emptySummary(''), open, 'x', NOW)!, 'online', NOW);
    expect(days[89]?.uptime).toBe(0.75);
  });
});
