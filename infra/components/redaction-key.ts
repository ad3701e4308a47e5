import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** Ninety days. */
const ROTATION_PERIOD = '7776000s';

export interface RedactionKeyArgs {
  project: pulumi.Input<string>;
  /** A KMS multi-region (`europe`), so that both serving regions can decrypt when either is down. */
  location: string;
}

/**
 * The KMS key that encrypts redaction originals. Key rings and keys cannot be deleted in KMS;
 * `pulumi destroy` only schedules the key versions for destruction.
 */
export class RedactionKey extends pulumi.ComponentResource {
  readonly keyRing: gcp.kms.KeyRing;
  readonly cryptoKey: gcp.kms.CryptoKey;

  constructor(name: string, args: RedactionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:RedactionKey', name, {}, opts);
    const child = { parent: this };
    this.keyRing = new gcp.kms.KeyRing(
      `${name}-key-ring`,
      { project: args.project, name: 'tuki', location: args.location },
      child,
    );
    this.cryptoKey = new gcp.kms.CryptoKey(
      `${name}-key`,
      {
        name: 'redaction-originals',
        keyRing: this.keyRing.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: ROTATION_PERIOD,
        versionTemplate: { algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION', protectionLevel: 'SOFTWARE' },
        labels: { app: 'tuki', purpose: 'redaction-originals' },
      },
      child,
    );
    this.registerOutputs({ keyId: this.cryptoKey.id });
  }
}
