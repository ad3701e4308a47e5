/** On-call readiness over in-memory fakes of the directory and the catalog. */
import type { StaffPrincipal } from '../../functions/src/domain/access';
import type { Catalog } from '../../functions/src/domain/catalog';
import type { AgentTier } from '../../functions/src/domain/ticket';
import type { PrincipalDirectory, SupportConfiguration } from '../../functions/src/application/ports';
import { checkOnCallReadiness } from '../../functions/src/application/readiness/check-on-call-readiness';
import { findReadinessGaps, MIN_L3_AGENTS } from '../../functions/src/domain/readiness';

const HOURS = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as ('Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri')[], open: '08:00', close: '17:00' };
const language = (code: string) => ({ language: code, timeZone: 'Europe/Stockholm', hours: HOURS, channels: { portal: 'yes' as const } });

/** Two products: `online` in en and fi, `tms` in en. */
const CATALOG: Catalog = {
  channels: ['portal'],
  products: [
    { id: 'online', name: 'Online', languages: [language('en'), language('fi')] },
    { id: 'tms', name: 'TMS', languages: [language('en')] },
  ],
};

/** Builds an agent; by default a trained, active L3 agent for every product in English and Finnish. */
function agent(uid: string, overrides: Partial<StaffPrincipal> = {}): StaffPrincipal {
  return {
    kind: 'staff',
    uid,
    role: 'agent',
    tier: 'L3',
    languages: ['en', 'fi'],
    products: ['online', 'tms'],
    trainedAt: '2026-01-05T09:00:00.000Z',
    active: true,
    ...overrides,
  };
}

/** A directory that answers `agentsFor` like the Firestore adapter: active agents of the tier who speak the language. */
class InMemoryDirectory implements Pick<PrincipalDirectory, 'agentsFor'> {
  readonly queries: string[] = [];
  constructor(private readonly staff: readonly StaffPrincipal[]) {}
  async agentsFor(tier: AgentTier, lang: string): Promise<StaffPrincipal[]> {
    this.queries.push(`${tier}/${lang}`);
    return this.staff.filter((s) => s.role === 'agent' && s.tier === tier && s.active && s.languages.includes(lang));
  }
}

const fixedCatalog = (catalog: Catalog): Pick<SupportConfiguration, 'catalog'> => ({ catalog: async () => catalog });

describe('on-call readiness', () => {
  it('when every product and language has two trained, active L3 agents, then there are no gaps', async () => {
    const report = await checkOnCallReadiness({
      principals: new InMemoryDirectory([agent('a'), agent('b')]),
      configuration: fixedCatalog(CATALOG),
    });
    expect(report).toEqual({ minimum: MIN_L3_AGENTS, checked: 3, gaps: [] });
  });

  it('when a language has one L3 agent, then that product and language is listed with the agent and how many are missing', () => {
    const report = findReadinessGaps(CATALOG, [agent('a'), agent('b', { languages: ['en'] })]);
    expect(report.gaps).toEqual([{ product: 'online', productName: 'Online', language: 'fi', agentUids: ['a'], missing: 1 }]);
  });

  it('untrained, deactivated, non-L3 and non-agent staff do not count', () => {
    const staff = [
      agent('trained'),
      agent('untrained', { trainedAt: null }),
      agent('inactive', { active: false }),
      agent('l2', { tier: 'L2' }),
      agent('manager', { role: 'manager', tier: null }),
    ];
    const report = findReadinessGaps(CATALOG, staff);
    expect(report.gaps.map((g) => `${g.product}/${g.language}:${g.agentUids.join(',')}`)).toEqual([
      'online/en:trained',
      'online/fi:trained',
      'tms/en:trained',
    ]);
  });

  it('an agent counts only for the products they know', () => {
    const report = findReadinessGaps(CATALOG, [agent('a'), agent('b', { products: ['online'] })]);
    expect(report.gaps).toEqual([{ product: 'tms', productName: 'TMS', language: 'en', agentUids: ['a'], missing: 1 }]);
  });

  it('an agent returned for two languages is counted once per product and language', async () => {
    const directory = new InMemoryDirectory([agent('a')]);
    const report = await checkOnCallReadiness({ principals: directory, configuration: fixedCatalog(CATALOG) });
    expect(directory.queries.sort()).toEqual(['L3/en', 'L3/fi']);
    expect(report.gaps.map((g) => g.agentUids)).toEqual([['a'], ['a'], ['a']]);
  });

  it('with nobody at L3, every product and language is a gap missing two', () => {
    const report = findReadinessGaps(CATALOG, []);
    expect(report.gaps.map((g) => [g.product, g.language, g.missing])).toEqual([
      ['online', 'en', 2],
      ['online', 'fi', 2],
      ['tms', 'en', 2],
    ]);
  });
});
