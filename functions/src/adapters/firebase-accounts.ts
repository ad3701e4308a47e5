/** Sign-in accounts deleted and sessions revoked with firebase-admin (the Auth emulator in local mode). */
import type { App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import type { AccountAdmin } from '../application/retention/ports';

const notFound = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'auth/user-not-found';

/** An Auth metadata time (a UTC date string) as ISO, or null when Auth has none. */
function isoOf(time: string | null | undefined): string | null {
  if (time == null || time === '') return null;
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

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

  async seen(uid: string): Promise<{ createdAt: string | null; lastSignInAt: string | null; lastRefreshAt: string | null } | null> {
    try {
      const { metadata } = await getAuth(this.app).getUser(uid);
      return { createdAt: isoOf(metadata.creationTime), lastSignInAt: isoOf(metadata.lastSignInTime), lastRefreshAt: isoOf(metadata.lastRefreshTime) };
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
