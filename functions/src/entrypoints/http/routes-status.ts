/**
 * The public status page and its feeds: `GET /status` (HTML), `/status/feed.atom`,
 * `/v1/status` (JSON) and Atlassian Statuspage's public API v2 under `/api/v2/`. Every form
 * is made from the one status summary document, read and rendered per instance as
 * `status-renderings.ts` says (stale-while-revalidate, at most `MAX_STALE_MS` old), and
 * served compressed (brotli or gzip, compressed once per rendering) with `Cache-Control`, a
 * strong `ETag` per coding, and `304` for a matching `If-None-Match`.
 */
import type { IncidentDeps } from '../../application/incidents/deps';
import { readStatusView, type StatusViewRead } from '../../application/incidents/status-summary';
import type { StatusView } from '../../domain/status-summary';
import { renderAtomFeed, statusJson, STATUSPAGE_DOCUMENTS, type StatuspageDocument } from './status-formats';
import { renderStatusPage } from './status-page-html';
import { chooseCoding, CODINGS, FRESH_MS, MAX_STALE_MS, StatusRenderings, type Rendering, type StatusForm } from './status-renderings';
import type { ApiRequest, ApiResponse, DepsProvider, Route } from './router';

/** Caches may keep an answer as long as an instance serves one read, and serve it stale as long as an instance would. */
const CACHE_CONTROL = `public, max-age=${FRESH_MS / 1000}, stale-while-revalidate=${(MAX_STALE_MS - FRESH_MS) / 1000}`;
/** The page runs no script and loads nothing: its only style is inline. */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The instance's renderings, made on the first request (the ports are built then). */
function renderingsOf(deps: DepsProvider<StatusDeps>): () => Promise<StatusRenderings> {
  let made: Promise<StatusRenderings> | undefined;
  return () => {
    if (made === undefined) {
      const making = deps().then((ports) => {
        let last: StatusViewRead | undefined;
        return new StatusRenderings(async () => (last = await readStatusView(ports, last)).view, () => ports.clock.now());
      });
      // Ports that failed to build are built again by the next request.
      making.catch(() => {
        if (made === making) made = undefined;
      });
      made = making;
    }
    return made;
  };
}

/** Whether `If-None-Match` names this rendering, in any coding (the weak comparison RFC 9110 asks for). */
function matches(request: ApiRequest, rendering: Rendering): boolean {
  const header = request.headers['if-none-match'];
  const value = typeof header === 'string' ? header : (header ?? []).join(',');
  if (value === '') return false;
  const tags = new Set(CODINGS.map((coding) => rendering.etags[coding]));
  return value.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || tags.has(candidate);
  });
}

function statusRoute(renderings: () => Promise<StatusRenderings>, pattern: string, summary: string, contentType: string, render: (view: StatusView) => string): Route {
  const form: StatusForm = { name: pattern, contentType, render };
  return {
    method: 'GET',
    pattern,
    summary,
    auth: false,
    who: 'anyone',
    successStatus: 200,
    handle: async (request): Promise<ApiResponse> => {
      const rendering = await (await renderings()).rendering(form);
      const coding = chooseCoding(request.headers['accept-encoding']);
      const headers = {
        ETag: rendering.etags[coding],
        'Cache-Control': CACHE_CONTROL,
        Vary: 'Accept-Encoding',
        ...(contentType === 'text/html' ? { 'Content-Security-Policy': HTML_CSP } : {}),
      };
      if (matches(request, rendering)) return { status: 304, headers };
      const body = await rendering.encoded(coding);
      return { status: 200, rawBody: body, contentType, headers: coding === 'identity' ? headers : { ...headers, 'Content-Encoding': coding } };
    },
  };
}

/** The ports of the status views' use case. */
export type StatusDeps = Pick<IncidentDeps, 'statusSummary' | 'configuration' | 'clock'>;

export function statusRoutes(deps: DepsProvider<StatusDeps>): readonly Route[] {
  const forms = renderingsOf(deps);
  return [
    statusRoute(forms, '/status', 'The public status page (HTML, works without JavaScript)', 'text/html', renderStatusPage),
    statusRoute(forms, '/status/feed.atom', 'Published status updates as an Atom feed', 'application/atom+xml', renderAtomFeed),
    statusRoute(forms, '/v1/status', 'The status page as JSON: page status, components with 90 days of history, open incidents, maintenance', 'application/json', (view) =>
      JSON.stringify(statusJson(view)),
    ),
    ...(Object.keys(STATUSPAGE_DOCUMENTS) as StatuspageDocument[]).map((document) =>
      statusRoute(forms, `/api/v2/${document}`, `Atlassian Statuspage public API v2: ${document}`, 'application/json', (view) =>
        JSON.stringify(STATUSPAGE_DOCUMENTS[document](view)),
      ),
    ),
  ];
}
