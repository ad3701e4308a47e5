/**
 * Firestore's managed export (production), started by the snapshot job next to the logical
 * snapshot: `exportDocuments` of the whole database into the backup bucket, under
 * `exports/<snapshot id>/<run id>`. The job does not wait for the long-running operation; it
 * records the operation's name in the snapshot's manifest, where an operator finds it
 * (`gcloud firestore operations describe <name>`).
 */
import type { ManagedExporter } from '../application/backups/ports';

/** The part of `v1.FirestoreAdminClient` this adapter uses (a fake stands in for it in unit tests). */
export interface FirestoreAdminApi {
  exportDocuments(request: { name: string; outputUriPrefix: string; collectionIds: string[] }): Promise<[{ name?: string | null }, ...unknown[]]>;
}

export class FirestoreManagedExporter implements ManagedExporter {
  constructor(
    private readonly admin: FirestoreAdminApi,
    private readonly database: string,
    private readonly bucket: string,
  ) {}

  async start(snapshotId: string, runId: string): Promise<{ operation: string; outputUriPrefix: string }> {
    const outputUriPrefix = `gs://${this.bucket}/exports/${snapshotId}/${runId}`;
    // Every collection: an empty list exports the whole database.
    const [operation] = await this.admin.exportDocuments({ name: this.database, outputUriPrefix, collectionIds: [] });
    if (!operation.name) throw new Error(`The managed export of ${this.database} returned no operation`);
    return { operation: operation.name, outputUriPrefix };
  }
}
