/**
 * The public status page end to end: a published update reaches the HTML page, its JSON, its
 * Atom feed and the Statuspage-format API within seconds (through the projection event and the
 * summary document), with cache headers and `304`; an existing Statuspage client library reads
 * the format unchanged; and the maintenance job moves planned maintenance in and out of progress.
 */
import { PubSub } from '@google-cloud/pubsub';
import { Statuspage } from 'statuspage.io';
import { FRESH_MS, MAX_STALE_MS } from '../../functions/src/entrypoints/http/status-renderings';
import { runJobNow } from '../../scripts/lib/local-scheduler';
import { call, eventually, testClock, useHarness } from './harness';

const h = useHarness('status');

async function page(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${h.api}${path}`, { headers });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Polls a public path until its body satisfies `check`. */
async function untilShown(path: string, check: (text: string) => boolean, what: string): Promise<string> {
  return eventually(
    async () => {
      const { status, text } = await page(path);
      return status === 200 && check(text) ? text : undefined;
    },
    20_000,
    what,
  );
}

async function openPublicIncident(): Promise<string> {
  const opened = await call(h.api, 'POST', '/v1/incidents', {
    token: h.tokens.manager,
    body: { title: 'TMS <slow> & failing', affected: [{ product: 'tms', status: 'partial_outage' }], message: 'We are looking into it.', noticeMode: 'status_page' },
  });
  expect(opened.status).toBe(201);
  return opened.body.id as string;
}

describe('the status page', () => {
  it('when staff publish an update, then the page shows it within seconds, escaped, with the component status in words', async () => {
    const id = await openPublicIncident();
    const started = Date.now();
    const posted = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, {
      token: h.tokens.l3,
      body: { status: 'identified', message: 'Cause <b>found</b>: a full disk.\nFix under way.', publish: true },
    });
    expect(posted.status).toBe(201);
    const html = await untilShown('/status', (t) => t.includes('Cause &lt;b>found&lt;/b>: a full disk.'), 'the published update on the page');
    // The page serves reads at most MAX_STALE_MS old; polled, it refreshes every FRESH_MS.
    expect(Date.now() - started).toBeLessThan(MAX_STALE_MS);
    expect(html).not.toContain('<b>found</b>');
    expect(html).toContain('TMS &lt;slow> &amp; failing');
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain('Partial outage');
    expect(html).toContain('Partial System Outage');

    const note = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, {
      token: h.tokens.l3,
      body: { status: 'identified', message: 'Internal: ask the storage team', publish: false },
    });
    expect(note.status).toBe(201);
    await new Promise((r) => setTimeout(r, 2 * FRESH_MS));
    expect((await page('/status')).text).not.toContain('ask the storage team');
  });

  it('when the page is fetched again with its ETag, then the answer is 304, and every form carries cache headers', async () => {
    await openPublicIncident();
    await untilShown('/v1/status', (t) => t.includes('partial_outage'), 'the incident in the JSON');
    for (const path of ['/status', '/v1/status', '/status/feed.atom', '/api/v2/summary.json']) {
      const first = await page(path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await page(path, { 'If-None-Match': etag ?? '' });
      // A new read of the summary renders the same bytes, so the tag still matches.
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    }
    expect((await page('/status')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await page('/status/feed.atom')).headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
  });

  it('when a client asks for brotli or gzip, then each form comes compressed in that coding with its own tag, and a 304 answers a tag of any coding', async () => {
    await openPublicIncident();
    const plain = await untilShown('/status', (t) => t.includes('TMS &lt;slow>'), 'the incident on the page');
    for (const coding of ['br', 'gzip']) {
      const answer = await page('/status', { 'Accept-Encoding': coding });
      expect(answer.headers.get('content-encoding')).toBe(coding);
      expect(answer.headers.get('vary')).toBe('Accept-Encoding');
      expect(Number(answer.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(plain) / 3);
      // fetch inflates what it asked for: the bytes are the page's.
      expect(answer.text).toBe(plain);
      expect(answer.headers.get('etag')).toMatch(new RegExp(`-${coding}"$`));
      expect((await page('/status', { 'Accept-Encoding': 'identity', 'If-None-Match': answer.headers.get('etag') ?? '' })).status).toBe(304);
    }
    const json = await page('/v1/status', { 'Accept-Encoding': 'identity' });
    expect(json.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(json.text).incidents).toHaveLength(1);
  });

  it('when an incident is open, then the JSON and the Atom feed carry it with its updates', async () => {
    const id = await openPublicIncident();
    const json = JSON.parse(await untilShown('/v1/status', (t) => t.includes(id), 'the incident in the JSON'));
    expect(json.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(json.components.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['online', 'operational'],
      ['health', 'operational'],
      ['tms', 'partial_outage'],
    ]);
    expect(json.components[2].history).toHaveLength(90);
    expect(json.incidents[0]).toMatchObject({ id, status: 'investigating', impact: 'major', updates: [{ message: 'We are looking into it.' }] });
    const feed = await untilShown('/status/feed.atom', (t) => t.includes(id), 'the incident in the feed');
    expect(feed).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed\s+xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(feed).toContain(`<id>urn:tuki:incident:${id}:update:`);
    expect(feed).toContain('<title>TMS &lt;slow> &amp; failing: investigating</title>');
  });
});

describe('the Statuspage format', () => {
  it('when a Statuspage client library reads tuki, then it gets the page status, components, incidents and maintenance in their format', async () => {
    const id = await openPublicIncident();
    const planned = await call(h.api, 'POST', '/v1/incidents', {
      token: h.tokens.manager,
      body: {
        kind: 'maintenance',
        title: 'Database upgrade',
        affected: [{ product: 'health', status: 'under_maintenance' }],
        message: 'Health Solutions will be read-only.',
        window: { startsAt: new Date(testClock.now() + 3_600_000).toISOString(), endsAt: new Date(testClock.now() + 7_200_000).toISOString() },
      },
    });
    expect(planned.status).toBe(201);
    await untilShown('/api/v2/summary.json', (t) => t.includes(id) && t.includes(planned.body.id), 'both in the summary');

    const client = new Statuspage('tuki');
    client.setApiUrl(h.api);
    // The library's own Summary type is an intersection its compiler reduces to never; its data is what counts.
    const summary = (await client.api.getSummary()) as unknown as { status: unknown; page: unknown };
    expect(summary.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    expect(summary.page).toMatchObject({ id: 'tuki', name: 'tuki' });
    const status = await client.api.getStatus();
    expect(status.status.indicator).toBe('major');
    const { components } = await client.api.getComponents();
    expect(components.find((c) => c.id === 'tms')).toMatchObject({ name: 'TMS (transport management)', status: 'partial_outage', group: false });
    const unresolved = await client.api.incidents.getUnresolved();
    expect(unresolved.incidents).toHaveLength(1);
    expect(unresolved.incidents[0]).toMatchObject({ id, name: 'TMS <slow> & failing', status: 'investigating', impact: 'major', resolved_at: null });
    expect(unresolved.incidents[0]?.incident_updates[0]).toMatchObject({ status: 'investigating', body: 'We are looking into it.', incident_id: id });
    const all = await client.api.incidents.getAll();
    expect(all.incidents.map((i) => i.id)).toEqual([id]);
    const upcoming = await client.api.scheduledMaintenances.getUpcoming();
    expect(upcoming.scheduled_maintenances).toEqual([
      expect.objectContaining({ id: planned.body.id, name: 'Database upgrade', status: 'scheduled', impact: 'maintenance', scheduled_for: planned.body.window.startsAt }),
    ]);
    // The client's own getActive reads upcoming.json (its bug); the path itself answers the active ones.
    const active = JSON.parse((await page('/api/v2/scheduled-maintenances/active.json')).text);
    expect(active.scheduled_maintenances).toEqual([]);
  });
});

describe('planned maintenance', () => {
  it('when its window comes, then the maintenance job puts its product under maintenance, and back when the window ends', async () => {
    const startsAt = new Date(testClock.now() + 60_000).toISOString();
    const endsAt = new Date(testClock.now() + 120_000).toISOString();
    const planned = await call(h.api, 'POST', '/v1/incidents', {
      token: h.tokens.manager,
      body: { kind: 'maintenance', title: 'Network work', affected: [{ product: 'online', status: 'under_maintenance' }], message: 'Short breaks.', window: { startsAt, endsAt } },
    });
    expect(planned.status).toBe(201);
    const id = planned.body.id as string;
    await untilShown('/v1/status', (t) => JSON.parse(t).maintenance.upcoming.some((m: { id: string }) => m.id === id), 'the maintenance ahead');

    const pubsub = new PubSub({ projectId: h.services.config.GOOGLE_CLOUD_PROJECT });
    const statusOf = async () => (await call(h.api, 'GET', `/v1/incidents/${id}`, { token: h.tokens.manager })).body;
    try {
      testClock.offsetMs += 70_000;
      await runJobNow(pubsub, 'maintenance-windows');
      await eventually(async () => ((await statusOf()).status === 'in_progress' ? true : undefined), 15_000, 'maintenance in progress');
      const during = JSON.parse(await untilShown('/v1/status', (t) => JSON.parse(t).maintenance.active.length === 1, 'active maintenance'));
      expect(during.components.find((c: { id: string }) => c.id === 'online').status).toBe('under_maintenance');
      expect(during.status.indicator).toBe('maintenance');

      testClock.offsetMs += 60_000;
      await runJobNow(pubsub, 'maintenance-windows');
      const done = await eventually(async () => ((await statusOf()).status === 'completed' ? await statusOf() : undefined), 15_000, 'maintenance completed');
      expect(done.affected).toEqual([{ product: 'online', status: 'operational' }]);
      expect(done.updates.map((u: { status: string; byUid: string | null }) => [u.status, u.byUid])).toEqual([
        ['scheduled', 'demo-manager'],
        ['in_progress', null],
        ['completed', null],
      ]);
      await runJobNow(pubsub, 'maintenance-windows');
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await statusOf()).updates).toHaveLength(3);
    } finally {
      await pubsub.close();
    }
  });
});
