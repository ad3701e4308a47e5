/**
 * The status benchmark's data, written the way tuki writes it: incidents built by the domain
 * (`openIncident`, `applyUpdate`), stored by the Firestore incident repository (which takes and
 * releases the products' open-incident locks), and projected into the status summary by the
 * same use case the `incident.changed` handler runs. Only the times are in the past: 90 days
 * of resolved incidents per product, then one open incident per product.
 */
import { projectIncidentChange } from '../../functions/src/application/incidents/status-summary';
import { CatalogSchema } from '../../functions/src/domain/catalog';
import { applyUpdate, openIncident, type ComponentStatus, type Incident, type IncidentStatus } from '../../functions/src/domain/incident';
import { iso } from '../../functions/src/domain/instant';
import { HISTORY_DAYS } from '../../functions/src/domain/status-summary';
import type { Services } from '../../functions/src/wiring';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A resolved incident every this many days per product, over the whole history. */
const HISTORY_EVERY_DAYS = 7;
const OUTAGES: readonly ComponentStatus[] = ['partial_outage', 'major_outage', 'degraded_performance'];

export interface SeededStatus {
  readonly products: number;
  readonly openIncidents: number;
  readonly resolvedIncidents: number;
}

/** The demo catalog's products, then copies of its first one, up to `count` products. */
async function catalogOf(s: Services, count: number): Promise<string[]> {
  const catalog = await s.configuration.catalog();
  const [template] = catalog.products;
  if (template === undefined) throw new Error('the catalog has no products');
  const extra = Array.from({ length: Math.max(0, count - catalog.products.length) }, (_, k) => ({
    ...template,
    id: `bench-product-${k + 1}`,
    name: `Benchmark product ${k + 1}`,
  }));
  const products = [...catalog.products, ...extra].slice(0, count);
  await s.configuration.putCatalog(CatalogSchema.parse({ ...catalog, products }));
  return products.map((p) => p.id);
}

/** Stores an incident as opened, then each later update in its own transaction, as staff would post them. */
async function store(s: Services, versions: readonly Incident[]): Promise<string> {
  const [opened, ...updates] = versions;
  if (opened === undefined) throw new Error('no incident to store');
  const created = await s.incidents.create(opened, []);
  if (!created.created) throw new Error(`product lock held by ${created.openIncidentId}`);
  for (const next of updates) await s.incidents.mutate(opened.id, () => ({ incident: next, events: [], result: null }));
  return opened.id;
}

interface Step {
  readonly status: IncidentStatus;
  readonly afterMs: number;
  readonly message: string;
  readonly publish?: boolean;
}

/** An incident's versions: opened at `startMs`, then one per step. */
function incidentVersions(s: Services, product: string, startMs: number, status: ComponentStatus, title: string, steps: readonly Step[]): Incident[] {
  let incident = openIncident({
    id: s.ids.newId(),
    kind: 'incident',
    title,
    affected: [{ product, status }],
    message: `We are investigating reports that ${title.toLowerCase()}. Next update within 30 minutes.`,
    updateId: s.ids.newId(),
    at: iso(startMs),
    byUid: 'demo-manager',
    noticeMode: 'status_page',
  });
  const versions = [incident];
  for (const step of steps) {
    incident = applyUpdate(incident, { id: s.ids.newId(), status: step.status, message: step.message, publish: step.publish ?? true, at: iso(startMs + step.afterMs), byUid: 'demo-agent-l3' });
    versions.push(incident);
  }
  return versions;
}

/**
 * Seeds `products` products, each with a resolved incident every week of the last 90 days and
 * one open incident, and projects every incident into the summary (one after another: the
 * summary is one document).
 */
export async function seedStatusPage(s: Services, products: number): Promise<SeededStatus> {
  const ids = await catalogOf(s, products);
  const now = s.clock.now();
  const today = Math.floor(now / DAY) * DAY;
  const perProduct = await Promise.all(
    ids.map(async (product, p) => {
      const stored: string[] = [];
      for (let day = HISTORY_DAYS - 1 - (p % HISTORY_EVERY_DAYS); day >= 1; day -= HISTORY_EVERY_DAYS) {
        const start = today - day * DAY + ((p * 97) % 1200) * MINUTE;
        const lasting = (30 + ((p + day) % 5) * 45) * MINUTE;
        const versions = incidentVersions(s, product, start, OUTAGES[(p + day) % OUTAGES.length] ?? 'partial_outage', `Requests to ${product} fail for some customers`, [
          { status: 'identified', afterMs: lasting / 3, message: 'We found the cause: a saturated connection pool after a configuration change. A fix is being rolled out.' },
          { status: 'identified', afterMs: lasting / 2, message: 'Internal: rollback approved by the on-call manager.', publish: false },
          { status: 'resolved', afterMs: lasting, message: 'The fix is deployed and every queued request has been processed. We are sorry for the trouble.' },
        ]);
        stored.push(await store(s, versions));
      }
      const open = incidentVersions(s, product, now - (1 + (p % 9)) * 60 * MINUTE, OUTAGES[p % OUTAGES.length] ?? 'partial_outage', `Invoices for ${product} are delayed`, [
        { status: 'identified', afterMs: 20 * MINUTE, message: 'The delay comes from a backlog in the outgoing queue; we are adding capacity.' },
        { status: 'monitoring', afterMs: 40 * MINUTE, message: 'Capacity was added and the backlog is shrinking. We keep watching it.' },
      ]);
      return { history: stored, open: await store(s, open) };
    }),
  );
  const all = perProduct.flatMap((p) => [...p.history, p.open]);
  for (const id of all) await projectIncidentChange(s, id);
  return { products: ids.length, openIncidents: perProduct.length, resolvedIncidents: all.length - perProduct.length };
}
