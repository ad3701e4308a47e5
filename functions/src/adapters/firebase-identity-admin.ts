/** Sign-in accounts managed with firebase-admin (the Auth emulator in local mode). */
import type { App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import type { IdentityAdmin } from '../application/admin/bootstrap-admin';

export class FirebaseIdentityAdmin implements IdentityAdmin {
  constructor(private readonly app: App) {}

  async ensureUser(email: string): Promise<string> {
    const auth = getAuth(this.app);
    try {
      return (await auth.getUserByEmail(email)).uid;
    } catch (error) {
      if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
      return (await auth.createUser({ email, emailVerified: true })).uid;
    }
  }

  /** Creates or updates an account with a fixed uid and password (demo data only). */
  async ensureDemoUser(uid: string, email: string, password: string, displayName: string): Promise<void> {
    const auth = getAuth(this.app);
    try {
      await auth.updateUser(uid, { email, password, displayName, emailVerified: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
      await auth.createUser({ uid, email, password, displayName, emailVerified: true });
    }
  }
}
