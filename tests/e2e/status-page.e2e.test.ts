/**
 * The public status page the way a person on a phone reads it: Debian's Chromium, driven by
 * playwright-core, opens `GET /status` of the real HTTP server (on the emulators, with an
 * incident opened and updated through the real API) in a 375 px wide viewport. The page must
 * show the open incident with its latest update first, declare its language, keep its headings
 * in order, not scroll sideways, and pass an axe-core scan with no serious or critical
 * violation. A screenshot is kept in `test-artifacts/`.
 *
 * Chromium is required, not optional: without it the test fails, naming what to install.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { call, eventually, useHarness } from '../integration/harness';

const h = useHarness('e2e-status');

/** Debian's package (`apt-get install -y chromium`); `TUKI_CHROMIUM_PATH` points elsewhere (a laptop). */
const CHROMIUM = process.env['TUKI_CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PHONE = { width: 375, height: 812 };
const ARTIFACTS = join(__dirname, '../../test-artifacts');

/** Long unbroken words, as people paste them (a queue name, a link): they must wrap, not widen the page. */
const TITLE = 'Invoices through PEPPOL_ACCESS_POINT_OUTBOUND_QUEUE_SE_FI are delayed';
const FIRST = 'We are looking into delayed outgoing invoices.';
const LATEST = 'Cause identified: a full disk on the sending queue.\nDetails: https://status.example/queues/outgoing-invoices-peppol-backlog-2026-12-01';

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does) or set TUKI_CHROMIUM_PATH`);
  }
  // Root in a container has no user namespaces for Chromium's sandbox; the page is our own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** An incident on the status page with two published updates; resolves once the page shows the latest. */
async function incidentOnThePage(): Promise<string> {
  const opened = await call(h.api, 'POST', '/v1/incidents', {
    token: h.tokens.manager,
    body: { title: TITLE, affected: [{ product: 'online', status: 'partial_outage' }], message: FIRST, noticeMode: 'status_page' },
  });
  expect(opened.status).toBe(201);
  const id = opened.body.id as string;
  const posted = await call(h.api, 'POST', `/v1/incidents/${id}/updates`, {
    token: h.tokens.l3,
    body: { status: 'identified', message: LATEST, publish: true },
  });
  expect(posted.status).toBe(201);
  await eventually(
    async () => {
      const response = await fetch(`${h.api}/status`);
      return (await response.text()).includes('Cause identified: a full disk') ? true : undefined;
    },
    20_000,
    'the latest update on the page',
  );
  return id;
}

async function openOnPhone(): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true, javaScriptEnabled: true });
  const page = await context.newPage();
  const response = await page.goto(`${h.api}/status`);
  expect(response?.status()).toBe(200);
  return page;
}

/** The heading levels of the page, in document order. */
async function headingLevels(page: Page): Promise<number[]> {
  return page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((nodes) => nodes.map((n) => Number(n.nodeName.slice(1))));
}

/**
 * axe-core's scan, run in the page. The source goes in through the DevTools protocol
 * (`evaluate`), which the page's Content-Security-Policy (no scripts at all) does not govern.
 */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  return page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`);
}

describe('the status page in a browser', () => {
  it('when an incident has a published update, then a phone shows it first, with lang, headings in order, no sideways scroll and no serious axe violation', async () => {
    await incidentOnThePage();
    const page = await openOnPhone();
    try {
      const article = page.getByRole('article', { name: TITLE });
      await expect(article.isVisible()).resolves.toBe(true);
      const messages = await article.locator('.message').allInnerTexts();
      expect(messages).toEqual([LATEST, FIRST]);
      await expect(article.innerText()).resolves.toContain('Identified · Major impact · Affects: Online (e-invoicing network)');
      await expect(page.getByRole('region', { name: 'Open incidents' }).getByRole('heading', { level: 3, name: TITLE }).count()).resolves.toBe(1);

      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      const levels = await headingLevels(page);
      expect(levels[0]).toBe(1);
      expect(levels.filter((level) => level === 1)).toHaveLength(1);
      const skipped = levels.filter((level, i) => i > 0 && level > (levels[i - 1] ?? 0) + 1);
      expect(skipped).toEqual([]);
      await expect(page.locator('main').count()).resolves.toBe(1);
      await expect(page.locator('script').count()).resolves.toBe(0);

      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(PHONE.width);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'status-page-375.png'), fullPage: true });

      const violations = await axeViolations(page);
      const serious = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(serious).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
