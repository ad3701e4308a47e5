import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

/** The id of the scratch database that restore drills restore into (`TUKI_DRILL_DATABASE`'s default). */
const DRILL_DATABASE_ID = 'tuki-drill';

export interface DrillDatabaseArgs {
  project: pulumi.Input<string>;
  locationId: string;
}

/**
 * The scratch database of the weekly restore drill. The drill empties it after every run, so it
 * holds restored data only while a drill runs: no point-in-time recovery, no backups, no delete
 * protection (it is disposable), in the same location as the live database so that the measured
 * restore time is the one a real recovery would see.
 */
export class DrillDatabase extends pulumi.ComponentResource {
  readonly database: gcp.firestore.Database;

  constructor(name: string, args: DrillDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tuki:gcp:DrillDatabase', name, {}, opts);
    this.database = new gcp.firestore.Database(
      `${name}-database`,
      {
        project: args.project,
        name: DRILL_DATABASE_ID,
        locationId: args.locationId,
        type: 'FIRESTORE_NATIVE',
        pointInTimeRecoveryEnablement: 'POINT_IN_TIME_RECOVERY_DISABLED',
        deleteProtectionState: 'DELETE_PROTECTION_DISABLED',
        deletionPolicy: 'DELETE',
      },
      { parent: this },
    );
    this.registerOutputs({ database: this.database.name });
  }
}
