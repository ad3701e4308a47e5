/** The environment of local mode: emulators on their default ports and the demo project. */
import { join } from 'node:path';
import { EMULATOR_HOSTS, PROJECT_ID, repoRoot } from './emulators';

/** A fixed, public key for local mode only: production wraps data keys with Cloud KMS. */
const LOCAL_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** Sets (without overriding what the caller set) the variables local mode runs with. */
export function applyLocalEnv(region = 'local'): void {
  const defaults: Record<string, string> = {
    ...EMULATOR_HOSTS,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    TUKI_MODE: 'local',
    TUKI_REGION: region,
    TUKI_STAFF_STRONG_AUTH: 'optional',
    TUKI_LOCAL_MASTER_KEY: LOCAL_MASTER_KEY,
    // Snapshots of local mode stay in the checkout, wherever a command runs from.
    TUKI_BACKUP_DIR: join(repoRoot(), '.tuki/backups'),
    // Webhook receivers on this machine (tests, demos); production refuses the setting.
    TUKI_WEBHOOK_LOCAL_TARGETS: '127.0.0.1',
    // No metadata server off Google Cloud: skip google-auth-library's probe (and its warnings).
    METADATA_SERVER_DETECTION: 'none',
  };
  for (const [key, value] of Object.entries(defaults)) process.env[key] ??= value;
}
