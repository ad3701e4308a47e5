import { readStatusView, VIEW_CLOCK_STEP_MS } from '../../functions/src/application/incidents/status-summary';
import type { Catalog } from '../../functions/src/domain/catalog';
import { projectIncident } from '../../functions/src/domain/status-summary';
import { anIncident } from './builders/incident';
import { FakeConfiguration, FixedClock } from './fakes';
import { InMemoryStatusSummaryStore } from './status-fakes';

/** A catalog whose products an admin may rename between reads. */
class RenamingConfiguration extends FakeConfiguration {
  rename: string | undefined;
  override async catalog(): Promise<Catalog> {
    const catalog = await super.catalog();
    const [first, ...rest] = catalog.products;
    const rename = this.rename;
    return first === undefined || rename === undefined ? catalog : { ...catalog, products: [{ ...first, name: rename }, ...rest] };
  }
}

describe('reading the status view for the public pages', () => {
  let deps: { statusSummary: InMemoryStatusSummaryStore; configuration: RenamingConfiguration; clock: FixedClock };
  beforeEach(async () => {
    deps = { statusSummary: new InMemoryStatusSummaryStore(), configuration: new RenamingConfiguration(), clock: new FixedClock(Date.parse('2026-11-30T12:00:10.000Z')) };
    const open = anIncident().onTheStatusPage().openedAt('2026-11-30T06:00:00.000Z').build();
    await deps.statusSummary.update((summary) => projectIncident(summary, open, '2026-11-30T06:00:00.000Z', deps.clock.now()));
  });

  it('when nothing changed within the minute, then the previous read comes back as it is and the summary is not read again', async () => {
    const first = await readStatusView(deps);
    deps.clock.advance(45_000);
    expect(await readStatusView(deps, first)).toBe(first);
    expect(deps.statusSummary.reads).toBe(1);
  });

  it('when a new minute begins, then the view is computed again for the clock (an open outage counts up to now) from the summary already read', async () => {
    const first = await readStatusView(deps);
    deps.clock.advance(VIEW_CLOCK_STEP_MS);
    const next = await readStatusView(deps, first);
    expect(next.view).not.toBe(first.view);
    const today = (read: typeof first): number | undefined => read.view.components.find((c) => c.id === 'online')?.days.at(-1)?.uptime;
    expect(today(next)).toBeLessThan(today(first) ?? 0);
    expect(deps.statusSummary.reads).toBe(1);
  });

  it('when the summary is written, then the next read within the same minute reads it and shows the change', async () => {
    const first = await readStatusView(deps);
    const second = anIncident().withId('inc-2').onTheStatusPage().affecting({ product: 'tms', status: 'partial_outage' }).openedAt('2026-11-30T12:00:12.000Z').build();
    await deps.statusSummary.update((summary) => projectIncident(summary, second, '2026-11-30T12:00:12.000Z', deps.clock.now()));
    deps.clock.advance(5_000);
    const next = await readStatusView(deps, first);
    expect(first.view.unresolved.map((i) => i.id)).toEqual(['inc-1']);
    expect(next.view.unresolved.map((i) => i.id)).toEqual(['inc-2', 'inc-1']);
    expect(deps.statusSummary.reads).toBe(2);
  });

  it('when an admin renames a product, then the next read shows the new name without reading the summary again', async () => {
    const first = await readStatusView(deps);
    deps.configuration.rename = 'Renamed product';
    const next = await readStatusView(deps, first);
    expect(next.view.components[0]?.name).toBe('Renamed product');
    expect(deps.statusSummary.reads).toBe(1);
  });
});
