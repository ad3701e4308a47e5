/** Production: data keys wrapped and unwrapped by Cloud KMS (`TUKI_REDACTION_KEY`, the redaction key). */
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import type { KeyWrapper } from './envelope-key-vault';

export class KmsKeyWrapper implements KeyWrapper {
  constructor(
    private readonly client: KeyManagementServiceClient,
    readonly keyName: string,
  ) {}

  async wrap(material: Uint8Array): Promise<string> {
    const [response] = await this.client.encrypt({ name: this.keyName, plaintext: Buffer.from(material) });
    if (response.ciphertext === null || response.ciphertext === undefined) throw new Error('KMS returned no ciphertext');
    return Buffer.from(response.ciphertext).toString('base64');
  }

  async unwrap(wrapped: string): Promise<Uint8Array> {
    const [response] = await this.client.decrypt({ name: this.keyName, ciphertext: Buffer.from(wrapped, 'base64') });
    if (response.plaintext === null || response.plaintext === undefined) throw new Error('KMS returned no plaintext');
    return Buffer.from(response.plaintext);
  }
}
