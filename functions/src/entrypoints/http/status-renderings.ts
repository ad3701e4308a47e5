/**
 * The status views' renderings, kept per instance and served without waiting for the store
 * (stale-while-revalidate):
 * - a read of the summary is served for `FRESH_MS`; after that the first request starts one
 *   refresh in the background (never two at once) and is answered from the last read;
 * - no answer is made from a read older than `MAX_STALE_MS`: past it (an idle instance, or a
 *   store that failed every refresh) requests wait for the refresh, as the first one does;
 * - a refresh asks for the view; when it gets the same view object back (the use case returns
 *   it while neither the summary, the catalog nor the view's minute changed), it keeps every
 *   rendering as it is. Otherwise it renders again every form served from the last read, and
 *   keeps a form's rendering — its bytes, ETag and compressed copies — when the bytes did not
 *   change; a changed form is compressed again for the codings asked for before, all before the
 *   new read is served, so a request never renders or compresses unless it is the first of its kind.
 * So a change to the summary is in every answer at most `MAX_STALE_MS` after it was written,
 * and under steady traffic after `FRESH_MS` plus one read.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { StatusView } from '../../domain/status-summary';

/** How long a read of the summary is served before a refresh starts. */
export const FRESH_MS = 5_000;
/** The oldest read an answer is made from. */
export const MAX_STALE_MS = 15_000;

/** The content codings served, best first. */
export const CODINGS = ['br', 'gzip', 'identity'] as const;
export type ContentCoding = (typeof CODINGS)[number];

/** One form of the views: its name (the route), media type and renderer. */
export interface StatusForm {
  readonly name: string;
  readonly contentType: string;
  readonly render: (view: StatusView) => string;
}

/** One form's bytes as rendered from one read, with a tag per coding. */
export interface Rendering {
  readonly contentType: string;
  /** The identity bytes. */
  readonly bytes: Buffer;
  /** The strong ETag (quoted) of the bytes in each coding. */
  readonly etags: Readonly<Record<ContentCoding, string>>;
  /** The bytes in `coding`, compressed once per rendering. */
  encoded(coding: ContentCoding): Promise<Buffer>;
  /** The codings asked for so far. */
  readonly codingsUsed: ReadonlySet<ContentCoding>;
}

/** Compresses bytes in a coding (off the event loop). */
export type Compressor = (coding: Exclude<ContentCoding, 'identity'>, bytes: Buffer) => Promise<Buffer>;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * zlib's gzip and brotli at middle levels, in the thread pool. A rendering changes with nearly
 * every refresh while incidents are open (today's uptime moves with the clock), so each form is
 * compressed again every `FRESH_MS`: brotli's best quality took about 300 ms of a core for the
 * 68 KiB page (3.6 KiB out), quality 5 about 3 ms (4.2 KiB); gzip 6 is as close to gzip 9.
 */
export const zlibCompressor: Compressor = async (coding, bytes) =>
  coding === 'gzip'
    ? gzipAsync(bytes, { level: 6 })
    : brotliAsync(bytes, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      });

function makeRendering(contentType: string, body: string, compress: Compressor): Rendering {
  const bytes = Buffer.from(body, 'utf8');
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
  const encodings = new Map<ContentCoding, Promise<Buffer>>([['identity', Promise.resolve(bytes)]]);
  const used = new Set<ContentCoding>();
  return {
    contentType,
    bytes,
    etags: { identity: `"${hash}"`, gzip: `"${hash}-gzip"`, br: `"${hash}-br"` },
    codingsUsed: used,
    encoded(coding) {
      used.add(coding);
      let known = encodings.get(coding);
      if (known === undefined && coding !== 'identity') {
        const made = compress(coding, bytes);
        // A failed compression is not kept: the next request compresses again.
        made.catch(() => encodings.delete(coding));
        encodings.set(coding, made);
        known = made;
      }
      return known ?? Promise.resolve(bytes);
    },
  };
}

/** A read of the summary, and the forms rendered from it so far. */
interface Read {
  /** When the read started: it holds every change written before. */
  readonly at: number;
  readonly view: StatusView;
  readonly renderings: Map<string, { readonly form: StatusForm; readonly rendering: Rendering }>;
}

/** The renderings of one instance (see the module comment). */
export class StatusRenderings {
  private current: Read | undefined;
  private refreshing: Promise<Read> | undefined;

  constructor(
    private readonly readView: () => Promise<StatusView>,
    private readonly now: () => number,
    private readonly compress: Compressor = zlibCompressor,
  ) {}

  /** The form as rendered from a read at most `MAX_STALE_MS` old. */
  async rendering(form: StatusForm): Promise<Rendering> {
    const read = await this.usableRead();
    const known = read.renderings.get(form.name);
    if (known !== undefined) return known.rendering;
    const rendering = makeRendering(form.contentType, form.render(read.view), this.compress);
    read.renderings.set(form.name, { form, rendering });
    return rendering;
  }

  private async usableRead(): Promise<Read> {
    const current = this.current;
    const age = current === undefined ? Number.POSITIVE_INFINITY : this.now() - current.at;
    // A clock that went back says nothing about the read's age: read again.
    if (current !== undefined && age >= 0 && age < FRESH_MS) return current;
    const refresh = this.refresh();
    if (current !== undefined && age >= 0 && age < MAX_STALE_MS) {
      // Served from the last read; a failed refresh is retried by a later request.
      refresh.catch(() => undefined);
      return current;
    }
    return refresh;
  }

  private refresh(): Promise<Read> {
    if (this.refreshing === undefined) {
      const refreshing = this.load().finally(() => {
        if (this.refreshing === refreshing) this.refreshing = undefined;
      });
      this.refreshing = refreshing;
    }
    return this.refreshing;
  }

  private async load(): Promise<Read> {
    const at = this.now();
    const view = await this.readView();
    if (this.current !== undefined && view === this.current.view) {
      // The same view (nothing changed since): its renderings are current as of this read.
      this.current = { ...this.current, at };
      return this.current;
    }
    const next: Read = { at, view, renderings: new Map() };
    const compressing: Promise<Buffer>[] = [];
    for (const [name, { form, rendering: before }] of this.current?.renderings ?? []) {
      const rendering = makeRendering(form.contentType, form.render(view), this.compress);
      if (rendering.etags.identity === before.etags.identity) {
        next.renderings.set(name, { form, rendering: before });
        continue;
      }
      for (const coding of before.codingsUsed) compressing.push(rendering.encoded(coding));
      next.renderings.set(name, { form, rendering });
    }
    await Promise.all(compressing);
    this.current = next;
    return next;
  }
}

/**
 * The coding to answer in for an `Accept-Encoding` header: brotli, then gzip, when accepted
 * with a non-zero quality (or by `*`); identity otherwise. Quality values beyond zero do not
 * reorder the choice: both compress, and brotli compresses better.
 */
export function chooseCoding(header: string | readonly string[] | undefined): ContentCoding {
  const value = typeof header === 'string' ? header : (header ?? []).join(',');
  const accepted = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (name === '') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(name, Number.isFinite(quality) ? quality : 0);
  }
  const wildcard = accepted.get('*');
  const acceptable = (coding: string): boolean => (accepted.get(coding) ?? wildcard ?? 0) > 0;
  if (acceptable('br')) return 'br';
  if (acceptable('gzip') || acceptable('x-gzip')) return 'gzip';
  return 'identity';
}
