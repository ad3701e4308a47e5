/**
 * Firebase Auth / Identity Platform ID tokens, verified with firebase-admin. With
 * `FIREBASE_AUTH_EMULATOR_HOST` set (local mode only; production refuses to start with it)
 * firebase-admin accepts the emulator's unsigned tokens.
 *
 * Every verification also asks Firebase Auth whether the token was revoked or the account
 * disabled (`checkRevoked`), which costs a call to the Auth API. A client sends the same ID
 * token with every request for up to an hour, so each instance remembers a verified token
 * for `TOKEN_RECHECK_MS` (never past its expiry) and only then asks again: a revoked session
 * or a disabled account is refused within that time. Who the caller is allowed to be — role,
 * scope, deactivation — is not part of this: it is read from Firestore on every request.
 */
import type { App } from 'firebase-admin/app';
import { getAuth, type Auth, type DecodedIdToken } from 'firebase-admin/auth';
import type { TokenVerifier, VerifiedToken } from '../application/ports';
import { DependencyUnavailableError } from '../domain/errors';
import { DEADLINE_SOCKET_ERROR } from './deadline-agent';

/** How long a verified token is taken on trust before revocation is checked again. */
export const TOKEN_RECHECK_MS = 60_000;
/** Verified tokens remembered per instance; the oldest are forgotten first. */
export const MAX_REMEMBERED_TOKENS = 10_000;

/** firebase-admin error codes of a request that got no answer (the deadline cut it, or the network failed). */
const UNANSWERED = new Set(['app/network-error', 'app/network-timeout', 'auth/network-error']);

/** Whether firebase-admin failed because Auth did not answer, rather than because the token is bad. */
function authUnanswered(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return UNANSWERED.has(String(code)) || (typeof message === 'string' && message.includes(DEADLINE_SOCKET_ERROR));
}

/** firebase-admin error codes that will not change within the recheck window. */
const DEFINITIVE_REFUSALS = new Set(['auth/id-token-revoked', 'auth/user-disabled']);

type IdTokenChecker = Pick<Auth, 'verifyIdToken'>;

interface Checked {
  readonly verified: VerifiedToken;
  /** Epoch ms at which the token expires. */
  readonly expiresAt: number;
}

interface Remembered {
  readonly checked: Promise<Checked>;
  /** Epoch ms after which the token is verified again. */
  until: number;
}

export class FirebaseTokenVerifier implements TokenVerifier {
  private readonly remembered = new Map<string, Remembered>();

  constructor(
    private readonly auth: IdTokenChecker,
    private readonly now: () => number = Date.now,
  ) {}

  static forApp(app: App): FirebaseTokenVerifier {
    return new FirebaseTokenVerifier(getAuth(app));
  }

  async verify(idToken: string): Promise<VerifiedToken> {
    const now = this.now();
    const hit = this.remembered.get(idToken);
    if (hit !== undefined && now < hit.until) return (await hit.checked).verified;
    this.remembered.delete(idToken);
    // Concurrent requests with the same new token share one verification.
    const checked = this.check(idToken);
    const entry: Remembered = { checked, until: now + TOKEN_RECHECK_MS };
    this.remembered.set(idToken, entry);
    if (this.remembered.size > MAX_REMEMBERED_TOKENS) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    try {
      const { verified, expiresAt } = await checked;
      entry.until = Math.min(entry.until, expiresAt);
      return verified;
    } catch (error) {
      // A revoked session or a disabled account is refused from memory for the same window, so
      // that a client retrying in a loop costs one Auth call a minute; other failures (an
      // expired or forged token, Auth unavailable) are checked afresh every time.
      const code = (error as { code?: unknown }).code;
      if (!DEFINITIVE_REFUSALS.has(String(code)) && this.remembered.get(idToken) === entry) this.remembered.delete(idToken);
      throw error;
    }
  }

  private async check(idToken: string): Promise<Checked> {
    let decoded: DecodedIdToken;
    try {
      decoded = await this.auth.verifyIdToken(idToken, true);
    } catch (error) {
      throw authUnanswered(error) ? new DependencyUnavailableError('auth') : error;
    }
    const firebase = decoded.firebase as { sign_in_provider?: string; sign_in_second_factor?: string };
    return {
      verified: {
        uid: decoded.uid,
        email: decoded.email ?? null,
        signInProvider: firebase.sign_in_provider ?? 'unknown',
        secondFactor: firebase.sign_in_second_factor ?? null,
      },
      expiresAt: decoded.exp * 1000,
    };
  }
}
