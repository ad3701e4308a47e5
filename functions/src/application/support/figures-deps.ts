/** The ports of the support-figures use cases. */
import type { Logger, SupportFiguresStore } from '../ports';

export interface FiguresDeps {
  readonly supportFigures: SupportFiguresStore;
  readonly logger: Logger;
}
