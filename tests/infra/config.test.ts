import { kmsLocationFor, parseStackConfig, regionOf, storageMultiRegionFor } from '../../infra/config';

const valid = { project: 'tuki-test', domain: 'support.example.com', alertEmail: 'oncall@example.com' };

describe('parseStackConfig', () => {
  it('when only the required keys are given, then the defaults fill in the rest', () => {
    expect(parseStackConfig(valid)).toEqual({
      ...valid,
      activeRegion: 'primary',
      primaryRegion: 'europe-west1',
      secondaryRegion: 'europe-west4',
      firestoreLocation: 'eur3',
      backupRegion: 'europe-north1',
      rateLimitPerMinute: 600,
      corsAllowedOrigins: [],
    });
  });

  it('when the rate limit arrives as a string, as Pulumi config values do, then it becomes a number', () => {
    expect(parseStackConfig({ ...valid, rateLimitPerMinute: '120' }).rateLimitPerMinute).toBe(120);
  });

  it('when CORS origins arrive as one comma-separated string, then they become a list', () => {
    expect(parseStackConfig({ ...valid, corsAllowedOrigins: 'https://a.example.com, https://b.example.com:8443' }).corsAllowedOrigins).toEqual([
      'https://a.example.com',
      'https://b.example.com:8443',
    ]);
  });

  it('when activeRegion is secondary, then regionOf gives the secondary region', () => {
    const cfg = parseStackConfig({ ...valid, activeRegion: 'secondary' });
    expect(regionOf(cfg, cfg.activeRegion)).toBe('europe-west4');
  });

  it.each([
    [{ activeRegion: 'tertiary' }, /activeRegion: expected "primary" or "secondary"/],
    [{ domain: undefined }, /domain: required/],
    [{ domain: 'not a host' }, /domain: expected a host name/],
    [{ alertEmail: 'nobody' }, /alertEmail: /],
    [{ secondaryRegion: 'europe-west1' }, /secondaryRegion: must differ from primaryRegion \(europe-west1\)/],
    [{ backupRegion: 'europe-west1' }, /backupRegion: must differ from primaryRegion/],
    [{ primaryRegion: 'Europe West' }, /primaryRegion: expected a Google Cloud region/],
    [{ rateLimitPerMinute: '0' }, /rateLimitPerMinute: /],
    [{ rateLimitPerMinute: 'lots' }, /rateLimitPerMinute: /],
    [{ activeregion: 'secondary' }, /activeregion: unknown key/],
    [{ corsAllowedOrigins: 'https://console.example.com, http://plain.example.com' }, /corsAllowedOrigins.1: expected https origins/],
  ])('when the config has %o, then it fails with %p', (change, message) => {
    expect(() => parseStackConfig({ ...valid, ...change })).toThrow(message);
  });

  it('when several keys are bad at once, then one message names every one of them', () => {
    let message = '';
    try {
      parseStackConfig({ project: 'tuki-test', alertEmail: 'oncall@example.com', activeRegion: 'x', secondaryRegion: 'europe-west1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid stack config: /);
    for (const key of ['activeRegion', 'domain', 'secondaryRegion']) expect(message).toContain(`${key}: `);
  });
});

describe('multi-region locations', () => {
  it('when the primary region is in Europe, then the key and the source live in the European multi-regions', () => {
    expect(kmsLocationFor('europe-west1')).toBe('europe');
    expect(storageMultiRegionFor('europe-west1')).toBe('EU');
    expect(kmsLocationFor('us-central1')).toBe('us');
    expect(kmsLocationFor('southamerica-east1')).toBe('global');
  });
});
