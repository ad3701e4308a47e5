/**
 * Reads a request body before the Functions Framework sees the request, within bounds that
 * hold without a token and for every content type:
 * - a body announced (`Content-Length`) over the limit is refused with `413` unread;
 * - a body without a length (chunked) is read only up to the limit, then refused with `413`;
 * - reading may take at most the configured time, then the request is answered `408`
 *   (a client trickling a body cannot hold a connection and its memory);
 * - compressed bodies (gzip, deflate, br) inflate to at most the limit;
 * and in each refusal the connection closes, since the rest of the body is never read.
 * The framework's own parsers (1 GiB limits, no time bound, HTML error pages) then skip the
 * request: body-parser leaves a request alone once its stream has ended.
 *
 * JSON (`application/json`, `application/*+json`) is decoded as strict UTF-8 and parsed here;
 * well-formed text is checked here too (see `well-formed-text.ts`). Other media types keep
 * their raw bytes only: no route of the API takes a form or plain text.
 */
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ERROR_CODES } from '../../domain/errors';
import { EDGE_CODES, problem } from './problem';
import type { ApiResponse } from './router';
import { illFormedText } from './well-formed-text';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly readTimeoutMs: number;
}

/** The outcome of reading: no body, a body (parsed when it is JSON), or a refusal to send. */
export type BodyRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'read'; readonly raw: Buffer; readonly json?: unknown }
  | { readonly kind: 'refused'; readonly response: ApiResponse; readonly closeConnection: boolean };

const INFLATE = {
  gzip: promisify(zlib.gunzip),
  'x-gzip': promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
} as const;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const tooLarge = (limits: BodyLimits): BodyRead => ({
  kind: 'refused',
  response: problem(413, ERROR_CODES.payloadTooLarge, `Request bodies are limited to ${limits.maxBytes} bytes`),
  closeConnection: true,
});

const STATUS_CODES: Readonly<Record<number, string>> = {
  400: ERROR_CODES.invalidInput,
  408: EDGE_CODES.timeout,
  415: EDGE_CODES.unsupportedMediaType,
};

const badBody = (status: 400 | 408 | 415, detail: string, message: string, closeConnection = false): BodyRead => ({
  kind: 'refused',
  response: problem(status, STATUS_CODES[status] ?? ERROR_CODES.invalidInput, detail, { errors: [{ path: '(body)', message }] }),
  closeConnection,
});

/** The media type without parameters, lower case (`application/json`), or '' without a `Content-Type`. */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** True for the media types the API reads as JSON. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

function charsetOf(req: IncomingMessage): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '');
  return match?.[1]?.toLowerCase();
}

type Collected = Buffer | 'too-large' | 'timeout' | 'aborted';

/** Collects the body, stopping at the byte limit or the deadline (and then pausing the stream). */
function collect(req: IncomingMessage, limits: BodyLimits): Promise<Collected> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Collected): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('aborted', onAborted).off('error', onAborted);
      if (!Buffer.isBuffer(outcome)) req.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxBytes) finish('too-large');
      else parts.push(chunk);
    };
    const onEnd = (): void => finish(Buffer.concat(parts, size));
    const onAborted = (): void => finish('aborted');
    const timer = setTimeout(() => finish('timeout'), limits.readTimeoutMs);
    req.on('data', onData).on('end', onEnd).on('aborted', onAborted).on('error', onAborted);
  });
}

/** The body as sent, inflated per `Content-Encoding` to at most the limit, or a refusal. */
async function decoded(req: IncomingMessage, raw: Buffer, limits: BodyLimits): Promise<Buffer | BodyRead> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || raw.length === 0) return raw;
  if (!(encoding in INFLATE)) {
    return badBody(415, `Content-Encoding ${encoding.slice(0, 40)} is not supported`, 'send identity, gzip, deflate or br');
  }
  try {
    return await INFLATE[encoding as keyof typeof INFLATE](raw, { maxOutputLength: limits.maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(limits);
    return badBody(400, `The request body does not inflate as its Content-Encoding (${encoding}) says`, 'is not valid compressed data');
  }
}

/** JSON parsed from strict UTF-8, with well-formed text, or a refusal. */
function parsedJson(req: IncomingMessage, body: Buffer): BodyRead {
  const charset = charsetOf(req);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return badBody(415, `JSON bodies are UTF-8; charset ${charset.slice(0, 40)} is not supported`, 'send UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(body));
  } catch (error) {
    const message = error instanceof SyntaxError ? error.message : 'is not UTF-8';
    return badBody(400, 'The request body is not valid JSON', message.slice(0, 200));
  }
  const illFormed = illFormedText(json);
  if (illFormed.length > 0) {
    return { kind: 'refused', response: problem(400, ERROR_CODES.invalidInput, 'The request body holds ill-formed text', { errors: illFormed }), closeConnection: false };
  }
  return { kind: 'read', raw: body, json };
}

/** Reads the request's body within `limits`; see the module comment. */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  const lengthHeader = req.headers['content-length'];
  const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (declared === undefined ? req.headers['transfer-encoding'] === undefined : declared === 0) return { kind: 'none' };
  if (declared !== undefined && declared > limits.maxBytes) return tooLarge(limits);
  const collected = await collect(req, limits);
  if (collected === 'too-large') return tooLarge(limits);
  if (collected === 'timeout') {
    return badBody(408, `The request body did not arrive within ${limits.readTimeoutMs} ms`, 'send the body without pauses', true);
  }
  if (collected === 'aborted') return badBody(400, 'The request body was cut off', 'ended before its announced length', true);
  const body = await decoded(req, collected, limits);
  if (!Buffer.isBuffer(body)) return body;
  return isJsonMediaType(mediaTypeOf(req)) ? parsedJson(req, body) : { kind: 'read', raw: body };
}
