/** The managed export adapter, with the Firestore Admin API replaced by a fake at its boundary. */
import { FirestoreManagedExporter, type FirestoreAdminApi } from '../../../functions/src/adapters/firestore-managed-export';

class FakeFirestoreAdmin implements FirestoreAdminApi {
  readonly requests: { name: string; outputUriPrefix: string; collectionIds: string[] }[] = [];
  constructor(private readonly operationName: string | null) {}
  exportDocuments(request: { name: string; outputUriPrefix: string; collectionIds: string[] }): Promise<[{ name?: string | null }]> {
    this.requests.push(request);
    return Promise.resolve([{ name: this.operationName }]);
  }
}

describe('the Firestore managed export', () => {
  it('exports the whole database into the backup bucket under the snapshot and run, and returns the operation to record', async () => {
    const admin = new FakeFirestoreAdmin('projects/p/databases/(default)/operations/ASA1');
    const exporter = new FirestoreManagedExporter(admin, 'projects/p/databases/(default)', 'p-tuki-backups');

    await expect(exporter.start('2026-12-01', 'run-1')).resolves.toEqual({
      operation: 'projects/p/databases/(default)/operations/ASA1',
      outputUriPrefix: 'gs://p-tuki-backups/exports/2026-12-01/run-1',
    });
    expect(admin.requests).toEqual([{ name: 'projects/p/databases/(default)', outputUriPrefix: 'gs://p-tuki-backups/exports/2026-12-01/run-1', collectionIds: [] }]);
  });

  it('an export that returns no operation fails the snapshot run', async () => {
    const exporter = new FirestoreManagedExporter(new FakeFirestoreAdmin(null), 'projects/p/databases/(default)', 'b');
    await expect(exporter.start('2026-12-01', 'run-1')).rejects.toThrow('returned no operation');
  });
});
