/**
 * The public status page and its feeds: `GET /status` (HTML), `/status/feed.atom`,
 * `/v1/status` (JSON) and Atlassian Statuspage's public API v2 under `/api/v2/`. Every form
 * is made from the one status summary document, which an instance reads at most once per
 * `FRESH_MS` (concurrent requests share the read); each form is rendered once per read and
 * served with `Cache-Control`, a strong `ETag`, and `304` for a matching `If-None-Match`.
 */
import { createHash } from 'node:crypto';
import type { IncidentDeps } from '../../application/incidents/deps';
import { readStatusView } from '../../application/incidents/status-summary';
import type { StatusView } from '../../domain/status-summary';
import { renderAtomFeed, statusJson, STATUSPAGE_DOCUMENTS, type StatuspageDocument } from './status-formats';
import { renderStatusPage } from './status-page-html';
import type { ApiRequest, ApiResponse, DepsProvider, Route } from './router';

/** How long an instance serves one read of the summary: a published update shows within this (plus its projection). */
const FRESH_MS = 5_000;
const CACHE_CONTROL = `public, max-age=${FRESH_MS / 1000}, stale-while-revalidate=30`;
/** The page runs no script and loads nothing: its only style is inline. */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface Representation {
  readonly body: string;
  readonly contentType: string;
  readonly etag: string;
}

interface CachedRead {
  readonly at: number;
  readonly view: Promise<StatusView>;
  readonly forms: Map<string, Representation>;
}

/** The forms of the summary, each rendered once per read of it, read at most once per `FRESH_MS`. */
function statusForms(deps: DepsProvider<StatusDeps>): (name: string, contentType: string, render: (view: StatusView) => string) => Promise<Representation> {
  let cached: CachedRead | undefined;

  /** The summary as read at most `FRESH_MS` ago, with the forms rendered from it so far. */
  async function currentRead(): Promise<CachedRead> {
    const ports = await deps();
    const now = ports.clock.now();
    if (cached === undefined || now - cached.at >= FRESH_MS || now < cached.at) {
      const view = readStatusView(ports);
      const read: CachedRead = { at: now, view, forms: new Map() };
      // A failed read is not kept: the next request reads again.
      view.catch(() => {
        if (cached === read) cached = undefined;
      });
      cached = read;
    }
    return cached;
  }

  return async (name, contentType, render) => {
    const read = await currentRead();
    const known = read.forms.get(name);
    if (known !== undefined) return known;
    const body = render(await read.view);
    const made = { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
    read.forms.set(name, made);
    return made;
  };
}

function matches(request: ApiRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined) return false;
  return value.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

type StatusForms = ReturnType<typeof statusForms>;

function statusRoute(representation: StatusForms, pattern: string, summary: string, contentType: string, render: (view: StatusView) => string): Route {
  return {
    method: 'GET',
    pattern,
    summary,
    auth: false,
    who: 'anyone',
    successStatus: 200,
    handle: async (request): Promise<ApiResponse> => {
      const form = await representation(pattern, contentType, render);
      const headers = { ETag: form.etag, 'Cache-Control': CACHE_CONTROL, ...(contentType === 'text/html' ? { 'Content-Security-Policy': HTML_CSP } : {}) };
      if (matches(request, form.etag)) return { status: 304, headers };
      return { status: 200, rawBody: form.body, contentType: form.contentType, headers };
    },
  };
}

/** The ports of the status views' use case. */
export type StatusDeps = Pick<IncidentDeps, 'statusSummary' | 'configuration' | 'clock'>;

export function statusRoutes(deps: DepsProvider<StatusDeps>): readonly Route[] {
  const forms = statusForms(deps);
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
