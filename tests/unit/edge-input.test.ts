import { isReservedId, isUsableId } from '../../functions/src/domain/ids';
import { illFormedText } from '../../functions/src/entrypoints/http/well-formed-text';
import { parseConfig } from '../../functions/src/config';

describe('ids callers may name', () => {
  it('when an id is one Firestore reserves, then it is not usable', () => {
    for (const id of ['.', '..', '__x__', '__proto__', '____']) expect([id, isReservedId(id), isUsableId(id)]).toEqual([id, true, false]);
  });

  it('when an id only contains dots or underscores among other characters, then it is usable', () => {
    for (const id of ['a.b', '...', '_x_', '__x', 'x__', 'T-1~2']) expect([id, isUsableId(id)]).toEqual([id, true]);
  });
});

describe('well-formed text', () => {
  it('when a value or a key holds a lone surrogate, then its dotted path is named', () => {
    const errors = illFormedText({ subject: 'ok \ud83d\ude00', items: [{ text: 'lone \udc00' }], ['k\ud800']: 1 });
    expect(errors.map((e) => e.path).sort()).toEqual(['items.0.text', 'k\ud800']);
  });

  it('when a body nests thousands of levels deep, then it is checked without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(30_000)}"\\ud800"${']'.repeat(30_000)}`);
    expect(illFormedText(deep)).toHaveLength(1);
  });

  it('when a body holds many lone surrogates, then at most twenty are listed', () => {
    expect(illFormedText(Array.from({ length: 500 }, () => '\ud800'))).toHaveLength(20);
  });
});

describe('edge configuration', () => {
  it('when CORS origins are listed, then they parse into a list, and production takes only https', () => {
    expect(parseConfig({ TUKI_CORS_ALLOWED_ORIGINS: 'https://a.example, http://localhost:5173' }).TUKI_CORS_ALLOWED_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
    expect(() => parseConfig({ TUKI_CORS_ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(/TUKI_CORS_ALLOWED_ORIGINS/);
    expect(() =>
      parseConfig({ TUKI_MODE: 'production', TUKI_CORS_ALLOWED_ORIGINS: 'http://a.example', TUKI_REDACTION_KEY: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' }),
    ).toThrow(/TUKI_CORS_ALLOWED_ORIGINS.0: must be https/);
  });
});
