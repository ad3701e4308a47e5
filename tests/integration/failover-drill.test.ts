/**
 * The local failover drill, shortened: two regions as child processes over the emulators, a
 * local front, 9 s of client load, the primary killed after 4 s. Needs `npm run build` first
 * (npm test builds): the regions run the compiled `dist/scripts/drill/region-host.js`.
 */
import { existsSync } from 'node:fs';
import { clearEmulators } from '../../scripts/lib/emulators';
import { applyLocalEnv } from '../../scripts/lib/local-env';
import { runLocalFailoverDrill } from '../../scripts/drill/local-failover';
import { regionHostScript } from '../../scripts/drill/local/forked-regions';
import { LOCAL_REGIONS, type LocalFailoverReport } from '../../scripts/drill/local/report';

applyLocalEnv('drill-test');

let report: LocalFailoverReport;

beforeAll(async () => {
  if (!existsSync(regionHostScript())) throw new Error(`${regionHostScript()} is missing: run npm run build first`);
  await clearEmulators();
  report = await runLocalFailoverDrill({ loadSeconds: 9, killAfterSeconds: 4, clients: 4, reportDir: null });
  console.log(
    `local failover drill: recovered in ${report.timeToRecoverMs} ms, jobs moved in ${report.timeToMoveJobsMs} ms; ` +
      `${report.requests.attempts} attempts, ${report.requests.failed} failed ${JSON.stringify(report.requests.failedBy)}; ` +
      `tickets ${report.tickets.acknowledged} acknowledged (${report.tickets.replayed} replayed), ${report.tickets.lost.length} lost, ${report.tickets.duplicated.length} duplicated`,
  );
}, 90_000);

afterAll(async () => {
  const { services, setServices } = await import('../../functions/src/wiring');
  const s = await services();
  const { deleteApp, getApps } = await import('firebase-admin/app');
  await Promise.all([s.db.terminate(), s.pubsub.close(), ...getApps().map((app) => deleteApp(app))]);
  setServices(undefined);
});

describe('local failover drill', () => {
  it('runs to the end and passes every check', () => {
    expect(report.errors.filter((e) => !e.startsWith('The front never ejected'))).toEqual([]);
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([
      ['primary killed', true],
      ['requests go on through the secondary', true],
      ['scheduled jobs moved to the secondary', true],
      ['no acknowledged ticket lost', true],
      ['no ticket created twice', true],
    ]);
    expect(report.status).toBe('passed');
  });

  it('loses no acknowledged ticket and creates none twice', () => {
    expect(report.tickets.acknowledged).toBeGreaterThan(10);
    expect(report.tickets.lost).toEqual([]);
    expect(report.tickets.duplicated).toEqual([]);
    // Every ticket in Firestore answers one key: the acknowledged ones and any stored after its client gave up.
    expect(report.tickets.inFirestore).toBe(report.tickets.acknowledged + report.tickets.storedWithoutAcknowledgement);
  });

  it('requests go on through the secondary after the kill, and the time to recover is measured', () => {
    expect(report.timeline.killedAtMs).not.toBeNull();
    expect(report.requests.succeededBy['primary']?.beforeKill).toBeGreaterThan(0);
    expect(report.requests.succeededBy['secondary']?.afterKill).toBeGreaterThan(0);
    expect(report.timeToRecoverMs).not.toBeNull();
    expect(report.timeToRecoverMs).toBeLessThan(5_000);
  });

  it('the scheduled jobs move to the secondary: the heartbeat records its region', () => {
    expect(report.heartbeat).toMatchObject({ before: LOCAL_REGIONS.primary, after: LOCAL_REGIONS.secondary });
    expect(report.timeToMoveJobsMs).not.toBeNull();
  });
});

describe('the heartbeat records the region of the scheduler that sent the tick', () => {
  const tick = async (attributes: Record<string, string> | undefined, id: string) => {
    await import('../../functions/src/index');
    const { getFunction } = await import('@google-cloud/functions-framework/testing');
    const recordHeartbeat = getFunction('recordHeartbeat') as (event: unknown) => Promise<void>;
    await recordHeartbeat({
      id,
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      time: new Date().toISOString(),
      data: { message: { data: Buffer.from(JSON.stringify({ job: 'heartbeat' })).toString('base64'), messageId: id, attributes } },
    });
    const { services } = await import('../../functions/src/wiring');
    return (await (await services()).db.collection('heartbeats').doc('latest').get()).data();
  };

  it('when Cloud Scheduler sets the region attribute, then that region is recorded, with the function region beside it', async () => {
    expect(await tick({ job: 'heartbeat', region: 'europe-west4' }, 'tick-1')).toMatchObject({
      region: 'europe-west4',
      functionRegion: 'drill-test',
      eventId: 'tick-1',
      job: 'heartbeat',
    });
  });

  it('when the tick has no region, then the function falls back to its own region', async () => {
    expect(await tick(undefined, 'tick-2')).toMatchObject({ region: 'drill-test', functionRegion: 'drill-test', eventId: 'tick-2' });
  });

  it('when the region attribute is not a region name, then it is ignored', async () => {
    expect(await tick({ region: 'Robert"); drop' }, 'tick-3')).toMatchObject({ region: 'drill-test', eventId: 'tick-3' });
  });
});
