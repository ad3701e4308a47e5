/** `npm run tuki -- readiness`: where the catalog has fewer than two trained, active L3 agents (rules in `domain/readiness.ts`). */
import { findReadinessGaps, MIN_L3_AGENTS, type ReadinessReport } from '../../domain/readiness';
import type { PrincipalDirectory, SupportConfiguration } from '../ports';

/** The ports the readiness check reads. */
export interface ReadinessDeps {
  readonly principals: Pick<PrincipalDirectory, 'agentsFor'>;
  readonly configuration: Pick<SupportConfiguration, 'catalog'>;
}

/**
 * Reads the catalog and the active L3 agents of each catalog language (one directory query per
 * language, through the port routing already uses) and reports the gaps.
 */
export async function checkOnCallReadiness(deps: ReadinessDeps, minimum = MIN_L3_AGENTS): Promise<ReadinessReport> {
  const catalog = await deps.configuration.catalog();
  const languages = [...new Set(catalog.products.flatMap((p) => p.languages.map((l) => l.language)))];
  const perLanguage = await Promise.all(languages.map((language) => deps.principals.agentsFor('L3', language)));
  return findReadinessGaps(catalog, perLanguage.flat(), minimum);
}
