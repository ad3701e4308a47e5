/** Sign-in accounts deleted and sessions revoked with firebase-admin (the Auth emulator in local mode). */
import type { App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import type { AccountAdmin } from '../application/retention/ports';

const notFound = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'auth/user-not-found';

export class FirebaseAccountAdmin implements AccountAdmin {
  constructor(private readonly app: App) {}

  async account(uid: string): Promise<Readonly<Record<string, unknown>> | null> {
    try {
      const user = await getAuth(this.app).getUser(uid);
      return { uid: user.uid, email: user.email ?? null, displayName: user.displayName ?? null, phoneNumber: user.phoneNumber ?? null, createdAt: user.metadata.creationTime };
    } catch (error) {
      if (notFound(error)) return null;
      throw error;
    }
  }

  async deleteAccount(uid: string): Promise<void> {
    try {
      await getAuth(this.app).deleteUser(uid);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }

  async revokeSessions(uid: string): Promise<void> {
    try {
      await getAuth(this.app).revokeRefreshTokens(uid);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }
}
