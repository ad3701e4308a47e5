/**
 * The stack configuration of tuki's Pulumi program: one zod schema, parsed once by `infra/index.ts`.
 *
 * Keys live in the project namespace (`tuki:domain`, `tuki:activeRegion`, …); `project` comes from
 * `gcp:project`. See `Pulumi.example.yaml` for a complete stack file.
 */
import { z } from 'zod';

/** Which of the two deployed regions runs the scheduled jobs. */
export const REGION_KEYS = ['primary', 'secondary'] as const;
export type RegionKey = (typeof REGION_KEYS)[number];

const region = z
  .string({ error: 'expected a Google Cloud region such as europe-west1' })
  .regex(/^[a-z]+-[a-z]+\d+$/, 'expected a Google Cloud region such as europe-west1');

// RFC 1123 host name with at least one dot: the managed certificate and the uptime check need a real FQDN.
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `required (${what})` : `expected ${what}`;

/** The stack config schema. Unknown keys are rejected so that a typo does not silently fall back to a default. */
const stackConfigSchema = z
  .object({
    project: z.string({ error: required('a Google Cloud project id, set gcp:project') }).min(1),
    activeRegion: z
      .enum(REGION_KEYS, { error: 'expected "primary" or "secondary"' })
      .default('primary'),
    primaryRegion: region.default('europe-west1'),
    secondaryRegion: region.default('europe-west4'),
    firestoreLocation: z.string().min(1).default('eur3'),
    backupRegion: region.default('europe-north1'),
    domain: z
      .string({ error: required('a host name such as support.example.com') })
      .regex(HOSTNAME, 'expected a host name such as support.example.com'),
    alertEmail: z.email({ error: required('an email address for alerts') }),
    // Pulumi config values arrive as strings unless the stack file types them.
    rateLimitPerMinute: z.coerce
      .number({ error: 'expected a whole number of requests per minute' })
      .int('expected a whole number of requests per minute')
      .min(1, 'expected at least 1 request per minute')
      .max(1_000_000, 'expected at most 1000000 requests per minute')
      .default(600),
    // Origins whose pages may read authenticated API answers (CORS), comma-separated; none by default.
    corsAllowedOrigins: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
      .pipe(z.array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'expected https origins such as https://console.example.com'))),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.secondaryRegion === cfg.primaryRegion) {
      ctx.addIssue({
        code: 'custom',
        path: ['secondaryRegion'],
        message: `must differ from primaryRegion (${cfg.primaryRegion}) so that one region can fail over to the other`,
      });
    }
    if (cfg.backupRegion === cfg.primaryRegion) {
      ctx.addIssue({
        code: 'custom',
        path: ['backupRegion'],
        message: `must differ from primaryRegion (${cfg.primaryRegion}) so that backups survive the loss of that region`,
      });
    }
    // Run even when other keys are bad, so that one error message names every bad key.
  }, { when: () => true });

/** The validated stack configuration. */
export type StackConfig = z.infer<typeof stackConfigSchema>;

/**
 * Validates a raw stack config. Throws one Error that names every bad key, e.g.
 * `Invalid stack config: domain: required (…); activeRegion: expected "primary" or "secondary"`.
 */
export function parseStackConfig(raw: Record<string, unknown>): StackConfig {
  const result = stackConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${issue.keys.join(', ')}: unknown key (expected one of ${Object.keys(stackConfigSchema.shape).join(', ')})`;
    }
    return `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
  });
  throw new Error(`Invalid stack config: ${problems.join('; ')}`);
}

/** The region name behind a region key. */
export function regionOf(cfg: StackConfig, key: RegionKey): string {
  return key === 'primary' ? cfg.primaryRegion : cfg.secondaryRegion;
}

/**
 * The KMS multi-region that contains a region (`europe-west1` → `europe`). A key in a single
 * region would go down with it, so the secondary could no longer read redacted originals.
 */
export function kmsLocationFor(region: string): string {
  const continent = region.split('-')[0];
  return continent === 'europe' || continent === 'us' || continent === 'asia' ? continent : 'global';
}

/** The Cloud Storage multi-region that contains a region (`europe-west1` → `EU`), for the function source. */
export function storageMultiRegionFor(region: string): string {
  const continent = region.split('-')[0];
  if (continent === 'europe') return 'EU';
  if (continent === 'us') return 'US';
  if (continent === 'asia') return 'ASIA';
  return region.toUpperCase();
}
