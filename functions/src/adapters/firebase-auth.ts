/**
 * Firebase Auth / Identity Platform ID tokens, verified with firebase-admin. With
 * `FIREBASE_AUTH_EMULATOR_HOST` set (local mode only; production refuses to start with it)
 * firebase-admin accepts the emulator's unsigned tokens.
 */
import type { App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import type { TokenVerifier, VerifiedToken } from '../application/ports';

export class FirebaseTokenVerifier implements TokenVerifier {
  private readonly auth: Auth;

  constructor(app: App) {
    this.auth = getAuth(app);
  }

  async verify(idToken: string): Promise<VerifiedToken> {
    const decoded = await this.auth.verifyIdToken(idToken);
    const firebase = decoded.firebase as { sign_in_provider?: string; sign_in_second_factor?: string };
    return {
      uid: decoded.uid,
      email: decoded.email ?? null,
      signInProvider: firebase.sign_in_provider ?? 'unknown',
      secondFactor: firebase.sign_in_second_factor ?? null,
    };
  }
}
