/**
 * Where tuki may send webhooks: the SSRF guard's rules. A webhook URL must be `https`, carry no
 * credentials, and its host must not name or resolve to a private, loopback, link-local,
 * shared, multicast, reserved or metadata address — every address the name resolves to is
 * checked, at subscription time and again at each delivery (against DNS rebinding). Local
 * mode may allow a few exact addresses (`TUKI_WEBHOOK_LOCAL_TARGETS`, e.g. `127.0.0.1` for the
 * tests' receivers), which may then also be reached over plain `http`.
 */
import { BlockList, isIP } from 'node:net';

/** Exact addresses allowed despite the rules (local mode only; config refuses them in production). */
export interface WebhookAddressPolicy {
  readonly allowedAddresses: readonly string[];
}

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped and NAT64 addresses reach IPv4 hosts: their embedded address is checked below, and the ranges are refused whole.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Host names that are internal whatever they resolve to (the metadata server, local names). */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

function embeddedIpv4(address: string): string | null {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] === undefined || hex[2] === undefined) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Why tuki must not connect to `address` (an IP literal), or null when it may. */
export function refusedAddress(address: string, policy: WebhookAddressPolicy): string | null {
  if (policy.allowedAddresses.includes(address)) return null;
  const family = isIP(address);
  if (family === 0) return 'is not an IP address';
  const v4 = family === 4 ? address : embeddedIpv4(address);
  if (v4 !== null) {
    if (policy.allowedAddresses.includes(v4)) return null;
    return BLOCKED.check(v4, 'ipv4') ? `resolves to a private or reserved address (${v4})` : null;
  }
  return BLOCKED.check(address, 'ipv6') ? `resolves to a private or reserved address (${address})` : null;
}

/** A URL that passed the static checks: its host (an IP literal without brackets, or a name) still has to resolve to allowed addresses. */
export interface CheckedUrl {
  readonly url: string;
  readonly host: string;
  /** True when the host is an IP literal (nothing to resolve). */
  readonly literal: boolean;
}

/**
 * A webhook URL as it may be shown and kept outside its subscription: its origin (scheme, host,
 * port), never the path or query, which may carry a token or a person's name. `invalid` for a
 * string that is not a URL.
 */
export function urlOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return 'invalid';
  }
}

/** The static checks of a webhook URL: scheme, credentials, internal names; a reason when refused. */
export function checkWebhookUrl(raw: string, policy: WebhookAddressPolicy): CheckedUrl | { readonly refused: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { refused: 'is not a URL' };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  const allowedLocal = policy.allowedAddresses.includes(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowedLocal)) return { refused: 'must be an https URL' };
  if (url.username !== '' || url.password !== '') return { refused: 'must not carry credentials' };
  if (url.hash !== '') return { refused: 'must not have a fragment' };
  if (INTERNAL_NAME.test(host) || (!host.includes('.') && isIP(host) === 0)) return { refused: 'names an internal host' };
  const literal = isIP(host) !== 0;
  if (literal) {
    const reason = refusedAddress(host, policy);
    if (reason !== null) return { refused: reason };
  }
  return { url: url.toString(), host, literal };
}

/** The first refusal among the addresses a name resolved to (every one must be allowed), or null. */
export function refusedResolution(addresses: readonly string[], policy: WebhookAddressPolicy): string | null {
  if (addresses.length === 0) return 'does not resolve';
  for (const address of addresses) {
    const reason = refusedAddress(address, policy);
    if (reason !== null) return reason;
  }
  return null;
}
