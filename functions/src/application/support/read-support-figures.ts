/** The managers' read of the support figures (counting rules and precision in `domain/support-figures.ts`). */
import { requireStaffRole, type Principal } from '../../domain/access';
import { supportFigures, type SupportFigures } from '../../domain/support-figures';
import type { SupportFiguresQuery } from '../contracts';
import type { FiguresDeps } from './figures-deps';

/** `GET /v1/metrics/support`: managers only; the figures of whole UTC days `from`..`to`. */
export async function readSupportFigures(deps: FiguresDeps, principal: Principal, query: SupportFiguresQuery): Promise<SupportFigures> {
  requireStaffRole(principal, ['manager']);
  return supportFigures(await deps.supportFigures.sum(query.from, query.to), query.from, query.to);
}
