/**
 * The health check: probes are cached for a while and shared by concurrent checks; one
 * dependency that does not answer makes the instance degraded. Probes and the clock are fakes.
 */
import { HealthCheck, type DependencyProbe } from '../../functions/src/application/health/check-health';
import type { DependencyState } from '../../functions/src/domain/health';
import { UNPROBED, overallHealth } from '../../functions/src/domain/health';

class FakeProbe implements DependencyProbe {
  calls = 0;
  constructor(public state: DependencyState = 'ok') {}
  async probe(): Promise<DependencyState> {
    this.calls++;
    await Promise.resolve();
    return this.state;
  }
}

function setUp(cacheMs = 10_000) {
  let now = 0;
  const probes = { firestore: new FakeProbe(), pubsub: new FakeProbe(), auth: new FakeProbe() };
  const check = new HealthCheck(probes, { now: () => now }, cacheMs);
  return { probes, check, advance: (ms: number) => (now += ms) };
}

describe('health check', () => {
  it('when every dependency answers, then it reports each ok and the instance ok', async () => {
    const { check } = setUp();
    const states = await check.check();
    expect(states).toEqual({ firestore: 'ok', pubsub: 'ok', auth: 'ok' });
    expect(overallHealth(states)).toBe('ok');
  });

  it('when Firestore does not answer in time, then the instance is degraded and says which dependency', async () => {
    const { check, probes } = setUp();
    probes.firestore.state = 'timeout';
    const states = await check.check();
    expect(states).toEqual({ firestore: 'timeout', pubsub: 'ok', auth: 'ok' });
    expect(overallHealth(states)).toBe('degraded');
  });

  it('a refused connection is degraded too; dependencies not probed yet are not', () => {
    expect(overallHealth({ firestore: 'ok', pubsub: 'unreachable', auth: 'ok' })).toBe('degraded');
    expect(overallHealth(UNPROBED)).toBe('ok');
  });

  it('reuses a result within the cache window and probes again after it', async () => {
    const { check, probes, advance } = setUp(10_000);
    await check.check();
    advance(9_999);
    await check.check();
    expect(probes.firestore.calls).toBe(1);
    probes.pubsub.state = 'timeout';
    advance(1);
    expect((await check.check()).pubsub).toBe('timeout');
    expect(probes.firestore.calls).toBe(2);
  });

  it('concurrent checks share one probe of each dependency', async () => {
    const { check, probes } = setUp();
    await Promise.all([check.check(), check.check(), check.check()]);
    expect([probes.firestore.calls, probes.pubsub.calls, probes.auth.calls]).toEqual([1, 1, 1]);
  });
});
