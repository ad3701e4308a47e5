/** The backup adapters of this instance, built on first use by the backup functions. */
import type { Services } from '../../wiring';
import type { BackupAdapters } from '../../wiring-backups';

let adapters: Promise<BackupAdapters> | undefined;

/** The instance's backup adapters (a failed build is retried by the next delivery). */
export function backupAdapters(services: Services): Promise<BackupAdapters> {
  if (adapters === undefined) {
    const building = import('../../wiring-backups').then(({ buildBackupAdapters }) =>
      buildBackupAdapters(services.config, { clock: services.clock, ids: services.ids, logger: services.logger }),
    );
    building.catch(() => {
      if (adapters === building) adapters = undefined;
    });
    adapters = building;
  }
  return adapters;
}
