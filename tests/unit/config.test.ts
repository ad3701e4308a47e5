import { ConfigError, parseConfig } from '../../functions/src/config';

describe('configuration', () => {
  it('when the environment is empty, then local-mode defaults apply', () => {
    expect(parseConfig({})).toMatchObject({ TUKI_MODE: 'local', GOOGLE_CLOUD_PROJECT: 'demo-tuki', TUKI_STAFF_STRONG_AUTH: 'required' });
  });

  it('when several keys are invalid, then the error names every one of them', () => {
    const attempt = () => parseConfig({ TUKI_MODE: 'staging', GOOGLE_CLOUD_PROJECT: 'X', PUBSUB_EMULATOR_HOST: 'nowhere' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/TUKI_MODE/);
      expect(message).toMatch(/GOOGLE_CLOUD_PROJECT/);
      expect(message).toMatch(/PUBSUB_EMULATOR_HOST/);
    }
  });

  it('when production mode meets any emulator variable, then it refuses to start', () => {
    for (const key of ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST']) {
      expect(() =>
        parseConfig({ TUKI_MODE: 'production', GOOGLE_CLOUD_PROJECT: 'tuki-prod', TUKI_REDACTION_KEY: 'projects/p/locations/europe/keyRings/r/cryptoKeys/k', [key]: '127.0.0.1:8080' }),
      ).toThrow(new RegExp(`${key}: must not be set in production mode`));
    }
  });

  it('when production mode relaxes staff sign-in or carries the local key, then it refuses to start', () => {
    expect(() => parseConfig({ TUKI_MODE: 'production', TUKI_STAFF_STRONG_AUTH: 'optional', TUKI_LOCAL_MASTER_KEY: 'abc' })).toThrow(
      /TUKI_STAFF_STRONG_AUTH.*TUKI_LOCAL_MASTER_KEY/,
    );
  });

  it('a valid production environment parses', () => {
    expect(
      parseConfig({ TUKI_MODE: 'production', GOOGLE_CLOUD_PROJECT: 'tuki-prod', TUKI_REGION: 'europe-west1', TUKI_REDACTION_KEY: 'projects/p/locations/europe/keyRings/r/cryptoKeys/k' }),
    ).toMatchObject({ TUKI_MODE: 'production', TUKI_REGION: 'europe-west1' });
  });
});
