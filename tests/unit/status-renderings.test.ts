import { gunzipSync } from 'node:zlib';
import { emptySummary, statusView, type StatusView } from '../../functions/src/domain/status-summary';
import {
  chooseCoding,
  FRESH_MS,
  MAX_STALE_MS,
  StatusRenderings,
  zlibCompressor,
  type Compressor,
  type StatusForm,
} from '../../functions/src/entrypoints/http/status-renderings';

const PRODUCTS = [{ id: 'online', name: 'Online' }];

/** A view whose `updatedAt` names the summary's version. */
const viewOf = (version: string): StatusView => statusView(emptySummary(version), PRODUCTS, 0);

const PAGE: StatusForm = { name: '/status', contentType: 'text/html', render: (view) => `<p>${view.updatedAt}</p>` };

/** The summary's store: its version now, the reads made, and reads held open or failed on demand. */
class SummaryStore {
  version = 'v1';
  reads = 0;
  private held: (() => void)[] = [];
  holding = false;
  failing = false;

  read = async (): Promise<StatusView> => {
    this.reads += 1;
    const version = this.version;
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    if (this.failing) throw new Error('the store is down');
    return viewOf(version);
  };

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

/** Compresses with zlib, counting the calls per coding. */
function countingCompressor(): { compress: Compressor; calls: string[] } {
  const calls: string[] = [];
  return { calls, compress: async (coding, bytes) => (calls.push(coding), zlibCompressor(coding, bytes)) };
}

const text = async (renderings: StatusRenderings): Promise<string> => (await renderings.rendering(PAGE)).bytes.toString('utf8');
const settle = async (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('serving the status views while the summary is refreshed', () => {
  let now: number;
  let store: SummaryStore;
  let renderings: StatusRenderings;
  beforeEach(() => {
    now = 1_000_000;
    store = new SummaryStore();
    renderings = new StatusRenderings(store.read, () => now);
  });

  it('when requests come within the freshness window, then they share one read of the summary and one rendering', async () => {
    const [a, b] = await Promise.all([renderings.rendering(PAGE), renderings.rendering(PAGE)]);
    now += FRESH_MS - 1;
    const c = await renderings.rendering(PAGE);
    expect(store.reads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('when the read is past its freshness, then requests are answered from it at once while one refresh runs, and the next ones get the new version', async () => {
    await renderings.rendering(PAGE);
    store.version = 'v2';
    store.holding = true;
    now += FRESH_MS;
    expect(await Promise.all([text(renderings), text(renderings), text(renderings)])).toEqual(['<p>v1</p>', '<p>v1</p>', '<p>v1</p>']);
    expect(store.reads).toBe(2);
    store.release();
    await settle();
    expect(await text(renderings)).toBe('<p>v2</p>');
    expect(store.reads).toBe(2);
  });

  it('when the last read is older than the staleness bound, then the request waits for a new read instead', async () => {
    await renderings.rendering(PAGE);
    store.version = 'v2';
    now += MAX_STALE_MS;
    expect(await text(renderings)).toBe('<p>v2</p>');
  });

  it('when the clock went back, then the read is not trusted and the request waits for a new one', async () => {
    await renderings.rendering(PAGE);
    store.version = 'v2';
    now -= 1;
    expect(await text(renderings)).toBe('<p>v2</p>');
  });

  it('when refreshes fail, then the last read is served up to the staleness bound, one refresh at a time, and after it the request gets the failure', async () => {
    await renderings.rendering(PAGE);
    store.failing = true;
    now += FRESH_MS;
    expect(await text(renderings)).toBe('<p>v1</p>');
    await settle();
    now += 1;
    expect(await text(renderings)).toBe('<p>v1</p>');
    expect(store.reads).toBe(3);
    now += MAX_STALE_MS;
    await expect(renderings.rendering(PAGE)).rejects.toThrow('the store is down');
    store.failing = false;
    expect(await text(renderings)).toBe('<p>v1</p>');
  });
});

describe('compressed copies of a rendering', () => {
  it('when a coding is asked for twice, then the bytes are compressed once, and they inflate to the page', async () => {
    const { compress, calls } = countingCompressor();
    const renderings = new StatusRenderings(async () => viewOf('v1'), () => 0, compress);
    const rendering = await renderings.rendering(PAGE);
    const [first, second] = await Promise.all([rendering.encoded('gzip'), rendering.encoded('gzip')]);
    expect(first).toBe(second);
    expect(gunzipSync(first).toString('utf8')).toBe('<p>v1</p>');
    expect(await rendering.encoded('identity')).toBe(rendering.bytes);
    expect(calls).toEqual(['gzip']);
  });

  it('when a refresh renders the same bytes, then the rendering with its tags and compressed copies is kept', async () => {
    const { compress, calls } = countingCompressor();
    let now = 0;
    const renderings = new StatusRenderings(async () => viewOf('v1'), () => now, compress);
    const before = await renderings.rendering(PAGE);
    await before.encoded('br');
    now += MAX_STALE_MS;
    expect(await renderings.rendering(PAGE)).toBe(before);
    expect(calls).toEqual(['br']);
  });

  it('when a refresh changes a form, then it is compressed again for the codings asked for before, before the new version is served', async () => {
    const { compress, calls } = countingCompressor();
    let now = 0;
    let version = 'v1';
    const renderings = new StatusRenderings(async () => viewOf(version), () => now, compress);
    const before = await renderings.rendering(PAGE);
    await Promise.all([before.encoded('br'), before.encoded('gzip')]);
    version = 'v2';
    now += MAX_STALE_MS;
    const after = await renderings.rendering(PAGE);
    expect(after.etags.identity).not.toBe(before.etags.identity);
    expect(calls.sort()).toEqual(['br', 'br', 'gzip', 'gzip']);
    expect(gunzipSync(await after.encoded('gzip')).toString('utf8')).toBe('<p>v2</p>');
    expect(calls).toHaveLength(4);
  });

  it('when a refresh gets the same view back, then no form is rendered or compressed again', async () => {
    const { compress, calls } = countingCompressor();
    let now = 0;
    let renders = 0;
    const counted: StatusForm = { ...PAGE, render: (view) => ((renders += 1), PAGE.render(view)) };
    const view = viewOf('v1');
    const renderings = new StatusRenderings(async () => view, () => now, compress);
    const before = await renderings.rendering(counted);
    await before.encoded('br');
    now += MAX_STALE_MS;
    expect(await renderings.rendering(counted)).toBe(before);
    now += FRESH_MS;
    await renderings.rendering(counted);
    await settle();
    expect(renders).toBe(1);
    expect(calls).toEqual(['br']);
  });

  it('when the tags of one rendering are compared, then each coding has its own strong tag', async () => {
    const renderings = new StatusRenderings(async () => viewOf('v1'), () => 0);
    const { etags } = await renderings.rendering(PAGE);
    expect(new Set([etags.identity, etags.gzip, etags.br]).size).toBe(3);
    for (const tag of Object.values(etags)) expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });
});

describe('choosing the content coding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.5', 'gzip'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['gzip;q=0', 'identity'],
    [undefined, 'identity'],
    ['', 'identity'],
  ])('when Accept-Encoding is %p, then the answer is in %p', (header, coding) => {
    expect(chooseCoding(header)).toBe(coding);
  });
});
