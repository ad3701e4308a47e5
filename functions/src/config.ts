/**
 * Configuration: one zod schema over the environment, parsed once at cold start. An invalid
 * environment fails with an error that names every bad key; production refuses to start with
 * any emulator variable set (with `FIREBASE_AUTH_EMULATOR_HOST`, firebase-admin would accept
 * unsigned tokens).
 */
import { z } from 'zod';

const EMULATOR_VARIABLES = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST'] as const;

const hostPort = z.string().regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port');

/** A web origin as browsers send it in `Origin`: scheme, host and optional port, nothing else. */
const webOrigin = z.string().regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'must be an origin such as https://console.example.com');

const ConfigSchema = z
  .object({
    TUKI_MODE: z.enum(['local', 'production']).default('local'),
    GOOGLE_CLOUD_PROJECT: z
      .string()
      .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id')
      .default('demo-tuki'),
    TUKI_REGION: z.string().min(1).default('local'),
    TUKI_VERSION: z.string().min(1).default('0.1.0'),
    /** `required`: staff must have signed in through SSO or with a second factor. */
    TUKI_STAFF_STRONG_AUTH: z.enum(['required', 'optional']).default('required'),
    /** Base64 of 32 bytes: the local key that wraps data keys (local mode only; KMS in production). */
    TUKI_LOCAL_MASTER_KEY: z
      .string()
      .refine((key) => Buffer.from(key, 'base64').length === 32, 'must be 32 bytes in base64')
      .optional(),
    /** KMS key that wraps data keys in production (set by infra on the functions that seal originals). */
    TUKI_REDACTION_KEY: z.string().optional(),
    /**
     * The Firestore database that holds wrapped data keys. In production a database of its own,
     * without point-in-time recovery or backups, so that a destroyed key is gone everywhere.
     */
    TUKI_KEYS_DATABASE: z.string().regex(/^(\(default\)|[a-z][a-z0-9-]{3,62})$/, 'must be a Firestore database id').default('(default)'),
    /**
     * Comma-separated origins whose pages may read authenticated answers (CORS); none by
     * default. Public routes (health, catalog, status) are open to every origin regardless.
     */
    TUKI_CORS_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
      .pipe(z.array(webOrigin).max(50)),
    /** How long reading a request body may take; a slower client is answered `408` and disconnected. */
    TUKI_BODY_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Cloud Storage bucket of the snapshots (production; set by infra on the backup functions). */
    TUKI_BACKUP_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name').optional(),
    /** Folder of the snapshots in local mode (relative to the working directory unless absolute). */
    TUKI_BACKUP_DIR: z.string().min(1).default('.tuki/backups'),
    /** Days a snapshot is kept: erased data leaves the backups within this time. */
    TUKI_BACKUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
    /** The scratch database that restore drills restore into (emptied after each drill). */
    TUKI_DRILL_DATABASE: z.string().regex(/^[a-z][a-z0-9-]{3,62}$/, 'must be a named Firestore database id').default('tuki-drill'),
    /** Customers without any authenticated request for this many days are deleted (24 months). */
    TUKI_INACTIVE_CUSTOMER_DAYS: z.coerce.number().int().min(30).default(730),
    /** Staff deactivated for more than this many days are deleted. */
    TUKI_DEACTIVATED_STAFF_DAYS: z.coerce.number().int().min(1).default(30),
    /** The public base URL of the API, which links in status-subscription messages start with (infra sets `https://<domain>`). */
    TUKI_PUBLIC_URL: z.url().transform((url) => url.replace(/\/+$/, '')).default('http://127.0.0.1:8787'),
    /**
     * Local mode only: comma-separated IP addresses that webhooks may be sent to although they
     * are private or loopback (and over plain http), such as `127.0.0.1` for test receivers.
     */
    TUKI_WEBHOOK_LOCAL_TARGETS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((address) => address.trim()).filter((address) => address !== ''))
      .pipe(z.array(z.union([z.ipv4(), z.ipv6()])).max(20)),
    LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
    FIRESTORE_EMULATOR_HOST: hostPort.optional(),
    PUBSUB_EMULATOR_HOST: hostPort.optional(),
    FIREBASE_AUTH_EMULATOR_HOST: hostPort.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.TUKI_MODE !== 'production') return;
    for (const key of EMULATOR_VARIABLES) {
      if (env[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must not be set in production mode' });
      }
    }
    if (env.TUKI_STAFF_STRONG_AUTH !== 'required') {
      ctx.addIssue({ code: 'custom', path: ['TUKI_STAFF_STRONG_AUTH'], message: 'must be "required" in production mode' });
    }
    env.TUKI_CORS_ALLOWED_ORIGINS.forEach((origin, index) => {
      if (!origin.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: ['TUKI_CORS_ALLOWED_ORIGINS', index], message: 'must be https in production mode' });
      }
    });
    if (env.TUKI_WEBHOOK_LOCAL_TARGETS.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['TUKI_WEBHOOK_LOCAL_TARGETS'], message: 'must not be set in production mode (webhooks never reach private addresses there)' });
    }
    if (env.TUKI_LOCAL_MASTER_KEY !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['TUKI_LOCAL_MASTER_KEY'], message: 'must not be set in production mode (use TUKI_REDACTION_KEY)' });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;

/** Thrown at cold start when the environment is invalid; the message names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (`process.env` by default). */
export function parseConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = ConfigSchema.safeParse(known);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}
