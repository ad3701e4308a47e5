/**
 * Envelope encryption: AES-256-GCM with a random 256-bit data key per ticket; the data key is
 * wrapped by a key-encryption key — Cloud KMS in production (`KmsKeyWrapper`), a local key in
 * local mode (`LocalKeyWrapper`). Sealed texts are `v1.<iv>.<tag>.<ciphertext>` in base64.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKey, KeyVault } from '../application/ports';

/** Wraps and unwraps data keys with a key-encryption key. */
export interface KeyWrapper {
  readonly keyName: string;
  wrap(material: Uint8Array): Promise<string>;
  unwrap(wrapped: string): Promise<Uint8Array>;
}

function gcmSeal(key: Uint8Array, plaintext: Uint8Array): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.');
}

function gcmOpen(key: Uint8Array, sealed: string): Buffer {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) throw new Error('not a sealed text');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
}

/** Local mode: data keys wrapped with a 32-byte key from `TUKI_LOCAL_MASTER_KEY`. */
export class LocalKeyWrapper implements KeyWrapper {
  readonly keyName = 'local-master-key';
  private readonly master: Buffer;

  constructor(masterKeyBase64: string) {
    this.master = Buffer.from(masterKeyBase64, 'base64');
    if (this.master.length !== 32) throw new Error('TUKI_LOCAL_MASTER_KEY must be 32 bytes in base64');
  }

  async wrap(material: Uint8Array): Promise<string> {
    return gcmSeal(this.master, material);
  }

  async unwrap(wrapped: string): Promise<Uint8Array> {
    return gcmOpen(this.master, wrapped);
  }
}

export class EnvelopeKeyVault implements KeyVault {
  constructor(private readonly wrapper: KeyWrapper) {}

  async newDataKey(): Promise<{ key: DataKey; wrapped: string; keyName: string }> {
    const material = randomBytes(32);
    return { key: { material }, wrapped: await this.wrapper.wrap(material), keyName: this.wrapper.keyName };
  }

  unkeptKey(): DataKey {
    return { material: randomBytes(32) };
  }

  async unwrap(wrapped: string): Promise<DataKey> {
    return { material: await this.wrapper.unwrap(wrapped) };
  }

  seal(key: DataKey, plaintext: string): string {
    return gcmSeal(key.material, Buffer.from(plaintext, 'utf8'));
  }

  open(key: DataKey, sealed: string): string {
    return gcmOpen(key.material, sealed).toString('utf8');
  }
}

/** For functions deployed without a redaction key: sealing or opening originals fails loudly. */
export class UnavailableKeyWrapper implements KeyWrapper {
  readonly keyName = 'none';

  async wrap(): Promise<string> {
    throw new Error('This function has no redaction key (TUKI_REDACTION_KEY or TUKI_LOCAL_MASTER_KEY)');
  }

  async unwrap(): Promise<Uint8Array> {
    return this.wrap().then(() => new Uint8Array());
  }
}
