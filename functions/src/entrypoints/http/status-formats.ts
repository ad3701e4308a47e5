/**
 * The status page's machine-readable forms, all from one `StatusView`: tuki's own JSON
 * (`GET /v1/status`), an Atom feed of the published updates, and Atlassian Statuspage's
 * public API v2 format (the field names, status values and impact levels that status
 * aggregators, chat integrations and Statuspage client libraries read).
 */
import { h, type VNode } from 'preact';
import renderXml from 'preact-render-to-string/jsx';
import type { PublicIncident, StatusView } from '../../domain/status-summary';

/** `GET /v1/status`. */
export function statusJson(view: StatusView): Record<string, unknown> {
  return {
    status: view.status,
    updatedAt: view.updatedAt,
    components: view.components.map((c) => ({
      id: c.id,
      name: c.name,
      status: c.status,
      uptime: c.uptime,
      history: c.days,
    })),
    incidents: view.unresolved,
    maintenance: { active: view.activeMaintenance, upcoming: view.upcomingMaintenance },
  };
}

/** The most entries the feed carries. */
const FEED_ENTRIES = 50;

/** The Atom feed (RFC 4287): one entry per published update, newest first. */
export function renderAtomFeed(view: StatusView): string {
  const entries = [...view.recentIncidents, ...view.recentMaintenance]
    .flatMap((incident) => incident.updates.map((update) => ({ incident, update })))
    .sort((a, b) => (a.update.at < b.update.at ? 1 : -1))
    .slice(0, FEED_ENTRIES);
  const feed = h(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom' },
    h('id', null, 'urn:tuki:status'),
    h('title', null, 'tuki status'),
    h('updated', null, entries[0]?.update.at ?? view.updatedAt),
    h('link', { rel: 'alternate', type: 'text/html', href: '/status' }),
    h('link', { rel: 'self', type: 'application/atom+xml', href: '/status/feed.atom' }),
    h('author', null, h('name', null, 'tuki')),
    entries.map(({ incident, update }) =>
      h(
        'entry',
        { key: update.id },
        h('id', null, `urn:tuki:incident:${incident.id}:update:${update.id}`),
        h('title', null, `${incident.title}: ${update.status.replace('_', ' ')}`),
        h('updated', null, update.at),
        h('link', { rel: 'alternate', type: 'text/html', href: `/status#incident-${incident.id}` }),
        h('content', { type: 'text' }, update.message),
      ),
    ),
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n${renderXml(feed as VNode, {}, { xml: true, pretty: false })}`;
}

/**
 * Where the page is, relative to the host that answered (the global front door in production,
 * the local host locally), so one rendering serves every host name.
 */
const PAGE_PATH = '/status';

/** The Statuspage page object every response carries. */
function page(view: StatusView): Record<string, unknown> {
  return { id: 'tuki', name: 'tuki', url: PAGE_PATH, time_zone: 'Etc/UTC', updated_at: view.updatedAt };
}

/** An incident or maintenance in Statuspage's format. */
function statuspageIncident(incident: PublicIncident): Record<string, unknown> {
  const monitoring = incident.updates.find((u) => u.status === 'monitoring');
  const components = incident.affected.map((a) => ({ id: a.product, name: a.product, status: a.status }));
  return {
    id: incident.id,
    name: incident.title,
    status: incident.status,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    monitoring_at: monitoring?.at ?? null,
    resolved_at: incident.resolvedAt,
    started_at: incident.window?.startsAt ?? incident.createdAt,
    impact: incident.impact,
    shortlink: `${PAGE_PATH}#incident-${incident.id}`,
    page_id: 'tuki',
    ...(incident.window === null ? {} : { scheduled_for: incident.window.startsAt, scheduled_until: incident.window.endsAt }),
    incident_updates: [...incident.updates].reverse().map((u) => ({
      id: u.id,
      status: u.status,
      body: u.message,
      incident_id: incident.id,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      affected_components: u.affected.map((a) => ({ code: a.product, name: a.product, new_status: a.status })),
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components,
  };
}

/** The paths of Statuspage's public API v2 that tuki serves, and how each is made. */
export const STATUSPAGE_DOCUMENTS = {
  'summary.json': (view: StatusView) => ({
    page: page(view),
    status: view.status,
    components: components(view),
    incidents: view.unresolved.map((i) => statuspageIncident(i)),
    scheduled_maintenances: [...view.activeMaintenance, ...view.upcomingMaintenance].map((i) => statuspageIncident(i)),
  }),
  'status.json': (view: StatusView) => ({ page: page(view), status: view.status }),
  'components.json': (view: StatusView) => ({ page: page(view), components: components(view) }),
  'incidents.json': (view: StatusView) => ({ page: page(view), incidents: view.recentIncidents.map((i) => statuspageIncident(i)) }),
  'incidents/unresolved.json': (view: StatusView) => ({ page: page(view), incidents: view.unresolved.map((i) => statuspageIncident(i)) }),
  'scheduled-maintenances/upcoming.json': (view: StatusView) => ({
    page: page(view),
    scheduled_maintenances: view.upcomingMaintenance.map((i) => statuspageIncident(i)),
  }),
  'scheduled-maintenances/active.json': (view: StatusView) => ({
    page: page(view),
    scheduled_maintenances: view.activeMaintenance.map((i) => statuspageIncident(i)),
  }),
} as const;

export type StatuspageDocument = keyof typeof STATUSPAGE_DOCUMENTS;

function components(view: StatusView): Record<string, unknown>[] {
  return view.components.map((c, position) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: view.updatedAt,
    updated_at: view.updatedAt,
    position: position + 1,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: 'tuki',
    group: false,
    only_show_if_degraded: false,
  }));
}
