/** The SSRF guard's rules: https only, no internal names, and no private, loopback, link-local or metadata address. */
import { checkWebhookUrl, refusedAddress, refusedResolution } from '../../functions/src/domain/webhook-address';

const PRODUCTION = { allowedAddresses: [] };
const LOCAL = { allowedAddresses: ['127.0.0.1'] };

describe('webhook addresses', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.10.1',
    '127.0.0.1',
    '127.8.8.8',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    'ff02::1',
  ])('refuses %s', (address) => {
    expect(refusedAddress(address, PRODUCTION)).not.toBeNull();
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(refusedAddress(address, PRODUCTION)).toBeNull();
  });

  it('when one of the addresses a name resolves to is private, then the name is refused', () => {
    expect(refusedResolution(['93.184.216.34', '10.0.0.5'], PRODUCTION)).toMatch(/private/);
    expect(refusedResolution([], PRODUCTION)).toBe('does not resolve');
    expect(refusedResolution(['93.184.216.34', '2606:2800:220:1::'], PRODUCTION)).toBeNull();
  });

  it.each([
    ['http://hooks.example.com/x', 'must be an https URL'],
    ['ftp://hooks.example.com/x', 'must be an https URL'],
    ['https://user:pw@hooks.example.com/x', 'must not carry credentials'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'names an internal host'],
    ['https://localhost:8443/x', 'names an internal host'],
    ['https://printer.local/x', 'names an internal host'],
    ['https://intranet/x', 'names an internal host'],
    ['https://10.0.0.7/x', 'resolves to a private or reserved address (10.0.0.7)'],
    ['https://[::1]/x', 'resolves to a private or reserved address (::1)'],
    ['not a url', 'is not a URL'],
  ])('refuses the URL %s: %s', (url, reason) => {
    expect(checkWebhookUrl(url, PRODUCTION)).toEqual({ refused: reason });
  });

  it('accepts an https URL with a public name, to be resolved and checked', () => {
    expect(checkWebhookUrl('https://hooks.example.com/tuki?x=1', PRODUCTION)).toEqual({ url: 'https://hooks.example.com/tuki?x=1', host: 'hooks.example.com', literal: false });
  });

  it('when local mode allows 127.0.0.1, then it may be reached over http, and nothing else is allowed with it', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4010/hook', LOCAL)).toMatchObject({ host: '127.0.0.1', literal: true });
    expect(checkWebhookUrl('http://127.0.0.1:4010/hook', PRODUCTION)).toEqual({ refused: 'must be an https URL' });
    expect(refusedAddress('127.0.0.2', LOCAL)).not.toBeNull();
    expect(checkWebhookUrl('http://10.0.0.1/hook', LOCAL)).toEqual({ refused: 'must be an https URL' });
  });
});
