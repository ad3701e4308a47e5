/**
 * The ID-token verifier remembers verified tokens for a minute (never past expiry), so that
 * the revocation check costs one Auth call per token per minute, not one per request. The
 * firebase-admin `verifyIdToken` is replaced by a counting fake; everything else is the real
 * adapter.
 */
import type { DecodedIdToken } from 'firebase-admin/auth';
import { FirebaseTokenVerifier, MAX_REMEMBERED_TOKENS, TOKEN_RECHECK_MS } from '../../functions/src/adapters/firebase-auth';
import { DependencyUnavailableError } from '../../functions/src/domain/errors';

const START = Date.parse('2026-11-28T09:00:00Z');

/** A fake `verifyIdToken`: tokens are `uid` or `uid:expSeconds`; `revoked` ones are refused. */
function fakeAuth() {
  const calls: { token: string; checkRevoked: boolean | undefined }[] = [];
  const revoked = new Set<string>();
  const disabled = new Set<string>();
  const unanswered = new Set<string>();
  return {
    calls,
    revoked,
    disabled,
    unanswered,
    async verifyIdToken(token: string, checkRevoked?: boolean): Promise<DecodedIdToken> {
      calls.push({ token, checkRevoked });
      await Promise.resolve();
      if (revoked.has(token)) throw new Error('auth/id-token-revoked');
      if (unanswered.has(token)) throw Object.assign(new Error('Error while making request: socket hang up'), { code: 'app/network-error' });
      if (disabled.has(token)) throw Object.assign(new Error('The user account has been disabled'), { code: 'auth/user-disabled' });
      const [uid = '', exp] = token.split(':');
      return {
        uid,
        sub: uid,
        aud: 'demo-tuki',
        iss: 'https://securetoken.google.com/demo-tuki',
        auth_time: START / 1000,
        iat: START / 1000,
        exp: exp === undefined ? START / 1000 + 3600 : Number(exp),
        email: `${uid}@example.com`,
        firebase: { identities: {}, sign_in_provider: 'password' },
      };
    },
  };
}

function setUp() {
  const auth = fakeAuth();
  let now = START;
  const verifier = new FirebaseTokenVerifier(auth, () => now);
  return { auth, verifier, advance: (ms: number) => (now += ms) };
}

describe('FirebaseTokenVerifier', () => {
  it('asks Firebase Auth with the revocation check, and maps the token', async () => {
    const { auth, verifier } = setUp();
    await expect(verifier.verify('alice')).resolves.toEqual({
      uid: 'alice',
      email: 'alice@example.com',
      signInProvider: 'password',
      secondFactor: null,
    });
    expect(auth.calls).toEqual([{ token: 'alice', checkRevoked: true }]);
  });

  it('verifies a token again only after the recheck window', async () => {
    const { auth, verifier, advance } = setUp();
    await verifier.verify('alice');
    advance(TOKEN_RECHECK_MS - 1);
    await verifier.verify('alice');
    expect(auth.calls).toHaveLength(1);
    advance(1);
    auth.revoked.add('alice');
    await expect(verifier.verify('alice')).rejects.toThrow('revoked');
    expect(auth.calls).toHaveLength(2);
  });

  it('never trusts a token past its expiry', async () => {
    const { auth, verifier, advance } = setUp();
    const token = `bob:${START / 1000 + 10}`;
    await verifier.verify(token);
    advance(10_000);
    await verifier.verify(token);
    expect(auth.calls).toHaveLength(2);
  });

  it('shares one verification between concurrent requests with the same token', async () => {
    const { auth, verifier } = setUp();
    const results = await Promise.all([verifier.verify('carol'), verifier.verify('carol'), verifier.verify('carol')]);
    expect(results.map((r) => r.uid)).toEqual(['carol', 'carol', 'carol']);
    expect(auth.calls).toHaveLength(1);
  });

  it('does not remember a token refused for another reason (forged, expired, Auth unavailable)', async () => {
    const { auth, verifier } = setUp();
    auth.revoked.add('mallory');
    await expect(Promise.all([verifier.verify('mallory'), verifier.verify('mallory')])).rejects.toThrow('revoked');
    auth.revoked.delete('mallory');
    await expect(verifier.verify('mallory')).resolves.toMatchObject({ uid: 'mallory' });
    expect(auth.calls).toHaveLength(2);
  });

  it('remembers a refusal for a disabled account for the recheck window, then asks again', async () => {
    const { auth, verifier, advance } = setUp();
    auth.disabled.add('dave');
    await expect(verifier.verify('dave')).rejects.toThrow('disabled');
    await expect(verifier.verify('dave')).rejects.toThrow('disabled');
    expect(auth.calls).toHaveLength(1);
    advance(TOKEN_RECHECK_MS);
    auth.disabled.delete('dave');
    await expect(verifier.verify('dave')).resolves.toMatchObject({ uid: 'dave' });
    expect(auth.calls).toHaveLength(2);
  });

  it('when Auth does not answer, then the verifier says Auth is unavailable (a 503), not that the token is bad, and asks again next time', async () => {
    const { auth, verifier } = setUp();
    auth.unanswered.add('erin');
    await expect(verifier.verify('erin')).rejects.toBeInstanceOf(DependencyUnavailableError);
    auth.unanswered.delete('erin');
    await expect(verifier.verify('erin')).resolves.toMatchObject({ uid: 'erin' });
    expect(auth.calls).toHaveLength(2);
  });

  it('forgets the oldest tokens beyond its bound', async () => {
    const { auth, verifier } = setUp();
    for (let i = 0; i <= MAX_REMEMBERED_TOKENS; i++) await verifier.verify(`user${i}`);
    await verifier.verify(`user${MAX_REMEMBERED_TOKENS}`);
    expect(auth.calls).toHaveLength(MAX_REMEMBERED_TOKENS + 1);
    await verifier.verify('user0');
    expect(auth.calls).toHaveLength(MAX_REMEMBERED_TOKENS + 2);
  });
});
