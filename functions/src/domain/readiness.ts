/**
 * On-call readiness: every product and language of the support catalog needs at least two
 * trained, active L3 agents, so that the last tier before management never depends on one
 * person (holidays, sickness, a deactivated account). This lists where that is not so.
 *
 * The check goes per product *and* language, not per product alone: an L3 agent for `online`
 * who speaks only Finnish does not cover an `online` ticket in Arabic, and routing would find
 * nobody for it (`routeTicket` filters by tier, language and product the same way).
 */
import type { StaffPrincipal } from './access';
import type { Catalog } from './catalog';

/** The smallest number of trained, active L3 agents a product and language must have. */
export const MIN_L3_AGENTS = 2;

/** One product and language with too few L3 agents. */
export interface ReadinessGap {
  readonly product: string;
  readonly productName: string;
  readonly language: string;
  /** The trained, active L3 agents who cover it (fewer than the minimum), by uid. */
  readonly agentUids: readonly string[];
  /** How many more are needed. */
  readonly missing: number;
}

export interface ReadinessReport {
  readonly minimum: number;
  /** How many product–language pairs the catalog has. */
  readonly checked: number;
  /** Pairs below the minimum, in catalog order. Empty when the organisation is ready. */
  readonly gaps: readonly ReadinessGap[];
}

/**
 * Whether a staff member counts as an on-call L3 agent for a product and language. Checks
 * activity again although the directory query already filters on it, so the rule lives here,
 * next to its reason, and not only in an adapter's query.
 */
function coversAsL3(agent: StaffPrincipal, product: string, language: string): boolean {
  return (
    agent.role === 'agent' &&
    agent.tier === 'L3' &&
    agent.active &&
    agent.trainedAt !== null &&
    agent.products.includes(product) &&
    agent.languages.includes(language)
  );
}

/** Pure: the product–language pairs of `catalog` that fewer than `minimum` of `agents` cover. */
export function findReadinessGaps(catalog: Catalog, agents: readonly StaffPrincipal[], minimum = MIN_L3_AGENTS): ReadinessReport {
  const gaps: ReadinessGap[] = [];
  let checked = 0;
  for (const product of catalog.products) {
    for (const { language } of product.languages) {
      checked += 1;
      const agentUids = [...new Set(agents.filter((a) => coversAsL3(a, product.id, language)).map((a) => a.uid))].sort();
      if (agentUids.length < minimum) {
        gaps.push({ product: product.id, productName: product.name, language, agentUids, missing: minimum - agentUids.length });
      }
    }
  }
  return { minimum, checked, gaps };
}
