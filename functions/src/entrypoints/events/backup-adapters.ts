/** The backup adapters of this instance, built on first use by the backup functions. */
import type { KeyVault } from '../../application/ports';
import type { Config } from '../../config';
import type { BackupAdapters, BackupContext } from '../../wiring-backups';

/** What the backup functions are given: the context of the backup use cases, the configuration and the key vault (the drill). */
export interface BackupFunctionDeps extends BackupContext {
  readonly config: Config;
  readonly vault: KeyVault;
}

let adapters: Promise<BackupAdapters> | undefined;

/** The instance's backup adapters (a failed build is retried by the next delivery). */
export function backupAdapters(deps: BackupFunctionDeps): Promise<BackupAdapters> {
  if (adapters === undefined) {
    const building = import('../../wiring-backups').then(({ buildBackupAdapters }) =>
      buildBackupAdapters(deps.config, { clock: deps.clock, ids: deps.ids, logger: deps.logger }),
    );
    building.catch(() => {
      if (adapters === building) adapters = undefined;
    });
    adapters = building;
  }
  return adapters;
}
