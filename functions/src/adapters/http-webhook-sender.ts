/**
 * Sending webhooks over HTTP(S) with Node's own client, guarded against SSRF at connection
 * time: the host is resolved by a `lookup` of ours that checks every address it resolved to
 * (`domain/webhook-address.ts`) and connects only to an address it checked, so a name that
 * resolved to a public address at subscription time and to an internal one now (DNS
 * rebinding) is refused. Redirects are not followed; an answer's body is read up to 4 KiB
 * (a challenge's echo) and the rest discarded. Sockets are kept alive between deliveries.
 */
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { promises as dns } from 'node:dns';
import type { AddressResolver } from '../application/status-subscriptions/ports';
import type { WebhookRequest, WebhookSender } from '../application/webhooks/ports';
import { checkWebhookUrl, refusedAddress, type WebhookAddressPolicy } from '../domain/webhook-address';
import type { ReceiverAnswer } from '../domain/webhook-delivery';

const MAX_ANSWER_BYTES = 4096;

/** Thrown inside our lookup when an address is refused; reported as `refused_address`. */
class RefusedAddressError extends Error {
  readonly code = 'E_TUKI_REFUSED_ADDRESS';
}

/** A `lookup` that resolves every address of the host and refuses the connection if any one is not allowed. */
function guardedLookup(policy: WebhookAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error !== null) return callback(error, '', 0);
      const list = addresses as unknown as { address: string; family: number }[];
      const refused = list.length === 0 ? 'does not resolve' : list.map((a) => refusedAddress(a.address, policy)).find((r) => r !== null);
      if (refused !== undefined && refused !== null) return callback(new RefusedAddressError(`${hostname} ${refused}`), '', 0);
      if (options.all === true) return callback(null, list);
      const [first] = list;
      return first === undefined ? callback(new RefusedAddressError(`${hostname} does not resolve`), '', 0) : callback(null, first.address, first.family);
    });
  };
}

function errorCode(error: unknown): string {
  if (error instanceof RefusedAddressError) return 'refused_address';
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ETIMEDOUT' || code === 'E_TUKI_TIMEOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'does_not_resolve';
  return typeof code === 'string' ? code.toLowerCase() : 'network_error';
}

export class HttpWebhookSender implements WebhookSender {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;

  constructor(private readonly policy: WebhookAddressPolicy) {
    const lookup = guardedLookup(policy);
    this.https = new HttpsAgent({ keepAlive: true, maxSockets: 64, lookup });
    this.http = new HttpAgent({ keepAlive: true, maxSockets: 64, lookup });
  }

  async post(request: WebhookRequest): Promise<ReceiverAnswer> {
    const checked = checkWebhookUrl(request.url, this.policy);
    if ('refused' in checked) return { status: null, error: 'refused_address' };
    const url = new URL(checked.url);
    const secure = url.protocol === 'https:';
    const body = Buffer.from(request.body, 'utf8');
    const options: RequestOptions = {
      method: 'POST',
      agent: secure ? this.https : this.http,
      headers: { ...request.headers, 'content-length': String(body.length), 'user-agent': 'tuki-webhooks/1' },
    };
    return new Promise<ReceiverAnswer>((resolve) => {
      const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8') }));
        res.on('error', (error) => resolve({ status: null, error: errorCode(error) }));
      });
      req.setTimeout(request.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'E_TUKI_TIMEOUT' })));
      req.on('error', (error) => resolve({ status: null, error: errorCode(error) }));
      req.end(body);
    });
  }

  /** Closes the kept-alive sockets (tests, benchmarks). */
  close(): void {
    this.https.destroy();
    this.http.destroy();
  }
}

/** DNS for the subscription-time check: every address of a name (none when it does not resolve). */
export class DnsAddressResolver implements AddressResolver {
  async resolve(host: string): Promise<string[]> {
    try {
      return (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return [];
    }
  }
}
