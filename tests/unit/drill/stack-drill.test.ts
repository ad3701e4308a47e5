/** The failover drill against a stack, driven end to end over the fake cloud of `fake-cloud.ts`. */
import { ACTIVE_REGION_KEY } from '../../../scripts/drill/failover';
import { ENDPOINT, REGIONS, mutations, setUp, stepNames } from './fake-cloud';

describe('failover drill against a stack', () => {
  it('flips the active region, deploys, checks the endpoint, runs the heartbeat in the new region, and switches back', async () => {
    const { cloud, drill } = setUp();
    const report = await drill();

    expect(report.status).toBe('passed');
    expect(stepNames(report)).toEqual([
      'prepare/read-stack:ok',
      'failover/set-config:ok',
      'failover/up:ok',
      'failover/endpoint:ok',
      'failover/run-job:ok',
      'failover/heartbeat:ok',
      'switch-back/set-config:ok',
      'switch-back/up:ok',
      'switch-back/endpoint:ok',
      'switch-back/run-job:ok',
      'switch-back/heartbeat:ok',
    ]);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      'runJob europe-west4 heartbeat',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.from).toEqual({ key: 'primary', region: 'europe-west1' });
    expect(report.to).toEqual({ key: 'secondary', region: 'europe-west4' });
    expect(report.endpoint).toBe(ENDPOINT);
    expect(report.finalActiveRegion).toBe('primary');
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
    expect(cloud.calls.filter((c) => c.startsWith('health'))).toContain(`health ${ENDPOINT}`);
  });

  it('records how long each step and each switch took', async () => {
    const { drill } = setUp();
    const report = await drill();
    const took = Object.fromEntries(report.steps.filter((s) => s.phase === 'failover').map((s) => [s.name, s.durationMs]));
    // up 90 s; heartbeat visible 12 s after the job ran, seen at the third poll (0, 5, 10, 15 s).
    expect(took).toEqual({ 'set-config': 0, up: 90_000, endpoint: 0, 'run-job': 0, heartbeat: 15_000 });
    expect(report.timings).toEqual({ failoverMs: 105_000, switchBackMs: 105_000 });
    expect(report.durationMs).toBe(210_000);
    expect(report.steps[1]?.startedAt).toBe('2026-05-06T10:00:00.000Z');
    const heartbeat = report.steps.find((s) => s.phase === 'failover' && s.name === 'heartbeat');
    expect(heartbeat?.detail).toMatchObject({ region: 'europe-west4', eventId: 'msg-1' });
  });

  it('writes the report once, as JSON for the sink and as Markdown', async () => {
    const { cloud, drill } = setUp();
    const report = await drill();
    expect(cloud.calls.at(-1)).toBe('record passed');
    expect(cloud.reports).toEqual([report]);
    expect(report.id).toBe('failover-staging-20260506T100000Z');
    expect(cloud.markdown[0]).toContain('# Failover drill failover-staging-20260506T100000Z');
    expect(cloud.markdown[0]).toContain('primary (europe-west1) → secondary (europe-west4)');
    expect(cloud.markdown[0]).toContain('| failover | up | ok | 90.0 s |');
  });

  it('with --stay, it stays in the new region: no switch-back', async () => {
    const { cloud, drill } = setUp();
    const report = await drill({ stay: true });
    expect(report.status).toBe('passed');
    expect(report.steps.some((s) => s.phase === 'switch-back')).toBe(false);
    expect(mutations(cloud.calls)).toEqual([`setConfig ${ACTIVE_REGION_KEY}=secondary`, 'up secondary', 'runJob europe-west4 heartbeat']);
    expect(report.finalActiveRegion).toBe('secondary');
    expect(report.timings.switchBackMs).toBeNull();
  });

  it('when the stack is already on the secondary, the drill fails over to the primary', async () => {
    const { cloud, drill } = setUp();
    cloud.config[ACTIVE_REGION_KEY] = 'secondary';
    cloud.deployedActive = 'secondary';
    const report = await drill({ stay: true });
    expect(report.to).toEqual({ key: 'primary', region: 'europe-west1' });
    expect(mutations(cloud.calls)).toEqual([`setConfig ${ACTIVE_REGION_KEY}=primary`, 'up primary', 'runJob europe-west1 heartbeat']);
  });

  it('with --dry-run, it previews the flipped config and never sets config, deploys or runs a job', async () => {
    const { cloud, drill } = setUp();
    const report = await drill({ dryRun: true });
    expect(report.status).toBe('planned');
    expect(mutations(cloud.calls)).toEqual([`preview {"${ACTIVE_REGION_KEY}":"secondary"}`]);
    expect(cloud.calls.some((c) => c.startsWith('health'))).toBe(false);
    expect(stepNames(report)).toEqual(['prepare/read-stack:ok', 'dry-run/preview:ok']);
    expect(report.steps[1]?.detail).toEqual({ activeRegion: 'secondary', changes: { update: 6, same: 180 } });
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
    expect(cloud.reports).toHaveLength(1);
  });

  it('when the heartbeat never comes, the step times out, the report is marked failed and the drill switches back', async () => {
    const { cloud, drill } = setUp({ heartbeatDelayMs: null });
    const report = await drill();
    expect(report.status).toBe('failed');
    const heartbeat = report.steps.find((s) => s.phase === 'failover' && s.name === 'heartbeat');
    expect(heartbeat).toMatchObject({ status: 'failed', durationMs: 60_000 });
    expect(heartbeat?.error).toMatch(/Timed out after 60000 ms waiting for a heartbeat from the scheduler in europe-west4/);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      'runJob europe-west4 heartbeat',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.finalActiveRegion).toBe('primary');
    expect(report.errors[0]).toMatch(/Timed out/);
    expect(cloud.reports[0]?.status).toBe('failed');
  });

  it('when up fails, the report is marked failed and the drill switches back, even with --stay', async () => {
    const { cloud, drill } = setUp({ failingUps: [1] });
    const report = await drill({ stay: true });
    expect(report.status).toBe('failed');
    expect(stepNames(report).slice(0, 3)).toEqual(['prepare/read-stack:ok', 'failover/set-config:ok', 'failover/up:failed']);
    expect(mutations(cloud.calls)).toEqual([
      `setConfig ${ACTIVE_REGION_KEY}=secondary`,
      'up secondary',
      `setConfig ${ACTIVE_REGION_KEY}=primary`,
      'up primary',
      'runJob europe-west1 heartbeat',
    ]);
    expect(report.errors).toEqual(['up failed: googleapi: Error 503']);
    expect(report.finalActiveRegion).toBe('primary');
    expect(cloud.config[ACTIVE_REGION_KEY]).toBe('primary');
  });

  it('when the switch-back fails too, both errors are reported and the active region is flagged as uncertain', async () => {
    const { cloud, drill } = setUp({ failingUps: [1, 2] });
    const report = await drill();
    expect(report.status).toBe('failed');
    expect(report.finalActiveRegion).toBeNull();
    expect(report.errors).toEqual([
      'up failed: googleapi: Error 503',
      'switch-back: up failed: googleapi: Error 503',
      expect.stringContaining("activeRegion is uncertain"),
    ]);
    expect(cloud.reports).toHaveLength(1);
  });

  it('when the endpoint never answers healthy, the endpoint step times out', async () => {
    const { cloud, drill } = setUp({ endpointReadyMs: Number.POSITIVE_INFINITY });
    const report = await drill();
    expect(report.status).toBe('failed');
    const endpoint = report.steps.find((s) => s.phase === 'failover' && s.name === 'endpoint');
    expect(endpoint).toMatchObject({ status: 'failed', durationMs: 120_000 });
    expect(endpoint?.error).toContain('last: HTTP 503');
    expect(cloud.calls.filter((c) => c.startsWith('runJob'))).toEqual([]);
    // The switch-back was attempted; it fails at its own endpoint check.
    expect(mutations(cloud.calls)).toContain('up primary');
    expect(report.errors).toHaveLength(2);
  });

  it('network errors while the endpoint comes up are retried until it answers', async () => {
    const { drill } = setUp({ endpointReadyMs: 30_000, networkErrors: true });
    const report = await drill({ stay: true });
    expect(report.status).toBe('passed');
    const endpoint = report.steps.find((s) => s.name === 'endpoint');
    expect(endpoint).toMatchObject({ durationMs: 30_000, detail: { attempts: 7, servedBy: 'europe-west1' } });
  });

  it('by default any healthy answer will do (the load balancer serves from the closest region); --require-serving-region waits for the new one', async () => {
    const lenient = await setUp({ servingRegion: REGIONS.primary }).drill({ stay: true });
    expect(lenient.status).toBe('passed');
    expect(lenient.steps.find((s) => s.name === 'endpoint')?.detail).toMatchObject({ servedBy: 'europe-west1' });

    const strict = await setUp({ servingRegion: REGIONS.primary }).drill({ stay: true, requireServingRegion: true });
    expect(strict.status).toBe('failed');
    expect(strict.errors[0]).toContain('to report europe-west4');

    const routed = await setUp({ servingRegion: 'active' }).drill({ stay: true, requireServingRegion: true });
    expect(routed.status).toBe('passed');
  });

  it('an invalid activeRegion fails before anything changes, with a report', async () => {
    const { cloud, drill } = setUp();
    cloud.config[ACTIVE_REGION_KEY] = 'tertiary';
    const report = await drill();
    expect(report.status).toBe('failed');
    expect(report.errors[0]).toContain('"tertiary"');
    expect(mutations(cloud.calls)).toEqual([]);
    expect(cloud.reports).toHaveLength(1);
  });
});
