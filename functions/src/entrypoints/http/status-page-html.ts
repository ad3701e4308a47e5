/**
 * The public status page, server-rendered with preact (every text is escaped by the renderer;
 * nothing is built by concatenating strings). It needs no JavaScript, fits a phone, and reads
 * well with a screen reader: `lang`, one `h1` and headings in order, landmarks, and every
 * status in words and a symbol, never by colour alone. Update messages are plain text, shown
 * with their line breaks.
 */
import { h, type ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { ComponentStatus, Impact, IncidentStatus } from '../../domain/incident';
import type { ComponentView, HistoryDay, PublicIncident, StatusView } from '../../domain/status-summary';

const COMPONENT_LABELS: Readonly<Record<ComponentStatus, { label: string; symbol: string }>> = {
  operational: { label: 'Operational', symbol: '✓' },
  // Not an emoji: a phone or a server without an emoji font would show an empty box.
  under_maintenance: { label: 'Under maintenance', symbol: '⚙' },
  degraded_performance: { label: 'Degraded performance', symbol: '!' },
  partial_outage: { label: 'Partial outage', symbol: '▲' },
  major_outage: { label: 'Major outage', symbol: '✕' },
};

const STATUS_LABELS: Readonly<Record<IncidentStatus, string>> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

const IMPACT_LABELS: Readonly<Record<Impact, string>> = {
  none: 'No impact',
  maintenance: 'Planned maintenance',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0;overflow-wrap:anywhere}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.6rem;margin:1rem 0 .5rem}h2{font-size:1.3rem;margin:1.5rem 0 .5rem}h3{font-size:1.1rem;margin:1rem 0 .25rem}
.overall{font-weight:600;padding:.75rem;border:2px solid currentColor;border-radius:6px}
ul.components{list-style:none;padding:0;margin:0}
ul.components li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;padding:.5rem 0;border-bottom:1px solid #ddd}
.s-operational{color:#1b5e20}.s-under_maintenance{color:#0d47a1}.s-degraded_performance{color:#6d4c00}.s-partial_outage{color:#8a3b00}.s-major_outage{color:#b71c1c}
article{border:1px solid #ccc;border-radius:6px;padding:0 1rem;margin:.75rem 0}
ol.updates{list-style:none;padding:0}ol.updates li{margin:.5rem 0}
.message{white-space:pre-line;overflow-wrap:anywhere;margin:.25rem 0}
ol.days{display:flex;gap:1px;list-style:none;padding:0;margin:.25rem 0;height:2rem}
ol.days li{flex:1 1 0;min-width:0;background:#2e7d32}
ol.days li.partial{background:#e65100}ol.days li.down{background:#b71c1c}ol.days li.degraded{background:#f9a825}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{margin:2rem auto;color:#444}
a{color:#0b57d0}
`;

const percent = (share: number): string => `${(Math.floor(share * 10000) / 100).toFixed(2)} %`;

function time(iso: string) {
  return h('time', { dateTime: iso }, `${iso.slice(0, 16).replace('T', ' ')} UTC`);
}

function componentState(status: ComponentStatus) {
  const { label, symbol } = COMPONENT_LABELS[status];
  return h('span', { class: `s-${status}` }, h('span', { 'aria-hidden': 'true' }, `${symbol} `), label);
}

/** Product names by id, to name what an incident affects. */
type ProductNames = ReadonlyMap<string, string>;

function incidentArticle(incident: PublicIncident, names: ProductNames) {
  const updates = [...incident.updates].reverse();
  return h(
    'article',
    { 'aria-labelledby': `incident-${incident.id}` },
    h('h3', { id: `incident-${incident.id}` }, incident.title),
    h(
      'p',
      null,
      `${STATUS_LABELS[incident.status]} · ${IMPACT_LABELS[incident.impact]} · Affects: ${incident.affected.map((a) => names.get(a.product) ?? a.product).join(', ')}`,
    ),
    incident.window === null ? null : h('p', null, 'Planned from ', time(incident.window.startsAt), ' to ', time(incident.window.endsAt)),
    h(
      'ol',
      { class: 'updates', 'aria-label': 'Updates, newest first' },
      updates.map((u) => h('li', { key: u.id }, h('p', null, h('strong', null, STATUS_LABELS[u.status]), ' — ', time(u.at)), h('p', { class: 'message' }, u.message))),
    ),
  );
}

function section(id: string, title: string, children: ComponentChildren) {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), children);
}

function dayClass(day: HistoryDay): string | undefined {
  if (day.worst === 'major_outage') return 'down';
  if (day.worst === 'partial_outage') return 'partial';
  if (day.worst === 'degraded_performance') return 'degraded';
  return undefined;
}

const troubledDay = (d: HistoryDay): boolean => d.uptime < 1 || d.worst !== 'operational';

/**
 * One bar per day. A clear day is a bare `<li>` (its colour is the list's default) and only a
 * troubled one has a class and a tooltip: 20 products × 90 days of attributes were most of the
 * page's bytes, and the days are listed in words below the bars anyway.
 */
function dayBar(day: HistoryDay) {
  return troubledDay(day) ? h('li', { key: day.date, class: dayClass(day), title: `${day.date}: ${percent(day.uptime)} up` }) : h('li', { key: day.date });
}

function history(component: ComponentView) {
  const troubled = component.days.filter(troubledDay);
  return h(
    'div',
    null,
    h('h3', null, component.name),
    h('p', null, `${percent(component.uptime)} uptime over the last ${component.days.length} days`),
    h(
      'ol',
      { class: 'days', 'aria-hidden': 'true' },
      component.days.map(dayBar),
    ),
    h(
      'p',
      null,
      troubled.length === 0
        ? 'No incidents on any day.'
        : `Days with incidents: ${troubled.map((d) => `${d.date} (${percent(d.uptime)} up, ${COMPONENT_LABELS[d.worst].label.toLowerCase()})`).join('; ')}.`,
    ),
  );
}

/** The whole page as an HTML document. */
export function renderStatusPage(view: StatusView): string {
  const maintenance = [...view.activeMaintenance, ...view.upcomingMaintenance];
  const names: ProductNames = new Map(view.components.map((c) => [c.id, c.name]));
  const article = (incident: PublicIncident) => incidentArticle(incident, names);
  const page = h(
    'html',
    { lang: 'en' },
    h(
      'head',
      null,
      h('meta', { charSet: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `tuki status: ${view.status.description}`),
      h('link', { rel: 'alternate', type: 'application/atom+xml', title: 'tuki status updates', href: '/status/feed.atom' }),
      h('style', { dangerouslySetInnerHTML: { __html: STYLE } }),
    ),
    h(
      'body',
      null,
      h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
      h('header', null, h('h1', null, 'tuki status'), h('p', { class: 'overall', role: 'status' }, view.status.description)),
      h(
        'main',
        { id: 'main' },
        section(
          'current',
          'Current status',
          h(
            'ul',
            { class: 'components' },
            view.components.map((c) => h('li', { key: c.id }, h('span', null, c.name), componentState(c.status))),
          ),
        ),
        section('incidents', 'Open incidents', view.unresolved.length === 0 ? h('p', null, 'No open incidents.') : view.unresolved.map(article)),
        section('maintenance', 'Planned maintenance', maintenance.length === 0 ? h('p', null, 'No maintenance planned.') : maintenance.map(article)),
        section('history', 'The last 90 days', view.components.map(history)),
      ),
      h(
        'footer',
        null,
        h('p', null, 'Updated ', time(view.updatedAt), '. ', h('a', { href: '/status/feed.atom' }, 'Atom feed'), ' · ', h('a', { href: '/v1/status' }, 'JSON')),
      ),
    ),
  );
  return `<!doctype html>${render(page)}`;
}
