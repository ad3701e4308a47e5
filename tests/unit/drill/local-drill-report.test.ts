/** The local drill's request figures and its Markdown, from attempts made up for the purpose. */
import { newLocalReport, renderLocalMarkdown, summariseRequests } from '../../../scripts/drill/local/report';
import { aFailedAttempt, anAttempt } from './fakes';

const KILLED = { killedAtMs: 4_000, heartbeatFromSecondaryAtMs: null };

describe('summarising the clients attempts', () => {
  it('counts successes per backend before and after the kill, by when each attempt started', () => {
    const summary = summariseRequests(
      [
        anAttempt({ startMs: 1_000 }),
        anAttempt({ startMs: 3_990, durationMs: 500 }),
        anAttempt({ startMs: 4_000, backend: 'secondary' }),
        anAttempt({ startMs: 5_000, backend: 'secondary' }),
      ],
      KILLED,
    );
    expect(summary.requests).toEqual({
      attempts: 4,
      succeeded: 4,
      failed: 0,
      succeededBy: { primary: { beforeKill: 2, afterKill: 0 }, secondary: { beforeKill: 0, afterKill: 2 } },
      failedBy: {},
    });
  });

  it('counts failures by status, or by network error code when there was no answer', () => {
    const summary = summariseRequests(
      [aFailedAttempt(), aFailedAttempt(), aFailedAttempt({ status: 502, backend: 'primary', error: 'broke' }), aFailedAttempt({ error: undefined })],
      KILLED,
    );
    expect(summary.requests.failed).toBe(4);
    expect(summary.requests.failedBy).toEqual({ ECONNRESET: 2, '502': 1, 'network error': 1 });
    expect(summary.failedRequests).toHaveLength(4);
  });

  it('lists at most 200 failed attempts one by one, and counts them all', () => {
    const summary = summariseRequests(Array.from({ length: 250 }, (_, i) => aFailedAttempt({ attempt: i + 1 })), KILLED);
    expect(summary.requests.failed).toBe(250);
    expect(summary.failedRequests).toHaveLength(200);
    expect(summary.failedRequests[199]?.attempt).toBe(200);
  });

  it('measures the time to recover from the kill to the end of the first success through the secondary', () => {
    const summary = summariseRequests(
      [
        anAttempt({ startMs: 3_000, durationMs: 100 }),
        aFailedAttempt({ startMs: 4_100 }),
        anAttempt({ startMs: 5_200, durationMs: 300, backend: 'secondary' }),
        anAttempt({ startMs: 5_000, durationMs: 900, backend: 'secondary' }),
      ],
      KILLED,
    );
    expect(summary.firstSuccessViaSecondaryAtMs).toBe(5_500);
    expect(summary.timeToRecoverMs).toBe(1_500);
  });

  it('has no time to recover when nothing succeeded through the secondary, or when there was no kill', () => {
    expect(summariseRequests([anAttempt({ startMs: 5_000 })], KILLED).timeToRecoverMs).toBeNull();
    const unkilled = summariseRequests([anAttempt({ backend: 'secondary' })], { killedAtMs: null, heartbeatFromSecondaryAtMs: 6_000 });
    expect(unkilled.timeToRecoverMs).toBeNull();
    expect(unkilled.timeToMoveJobsMs).toBeNull();
    expect(unkilled.requests.succeededBy['secondary']).toEqual({ beforeKill: 1, afterKill: 0 });
  });

  it('measures the time to move the jobs from the kill to the heartbeat of the secondary', () => {
    expect(summariseRequests([], { killedAtMs: 4_000, heartbeatFromSecondaryAtMs: 6_250 }).timeToMoveJobsMs).toBe(2_250);
    expect(summariseRequests([], KILLED).timeToMoveJobsMs).toBeNull();
  });

  it('finds the longest time between two successes ending, and has none with fewer than two', () => {
    const summary = summariseRequests(
      [anAttempt({ startMs: 1_000, durationMs: 0 }), anAttempt({ startMs: 2_000, durationMs: 0 }), anAttempt({ startMs: 4_500, durationMs: 500 }), aFailedAttempt({ startMs: 9_000 })],
      KILLED,
    );
    expect(summary.longestGapMs).toBe(3_000);
    expect(summariseRequests([anAttempt()], KILLED).longestGapMs).toBeNull();
  });
});

describe('the Markdown report', () => {
  const report = () => {
    const r = newLocalReport({ loadSeconds: 9, killAfterSeconds: 4, clients: 4, thinkMs: 100, requestDeadlineMs: 20_000 }, Date.parse('2026-05-06T10:00:00.000Z'));
    r.timeline.killedAtMs = 4_000;
    r.timeline.primaryEjectedAtMs = 4_100;
    r.timeline.loadEndedAtMs = 9_050;
    r.timeToRecoverMs = 1_234;
    r.requests = { attempts: 3, succeeded: 2, failed: 1, succeededBy: { primary: { beforeKill: 1, afterKill: 0 }, secondary: { beforeKill: 0, afterKill: 1 } }, failedBy: { ECONNRESET: 1 } };
    r.checks = [
      { name: 'primary killed', passed: true, detail: 'SIGKILL at 4.0 s' },
      { name: 'no ticket created twice', passed: false, detail: '2 keys | with more than one' },
    ];
    return r;
  };

  it('names the run, its status and the time to recover, and marks failed checks', () => {
    const markdown = renderLocalMarkdown(report());
    expect(markdown).toContain('# Local failover drill local-failover-20260506T100000Z');
    expect(markdown).toContain('- Status: **passed**');
    expect(markdown).toContain('- Regions: local-primary (killed) → local-secondary');
    expect(markdown).toContain('- Load: 4 clients for 9 s, primary killed after 4 s');
    expect(markdown).toContain('(kill → first successful request through the secondary): 1.2 s (1234 ms)');
    expect(markdown).toContain('| primary killed | pass | SIGKILL at 4.0 s |');
    expect(markdown).toContain('| no ticket created twice | **FAIL** | 2 keys \\| with more than one |');
    expect(markdown).toContain('3 attempts: 2 succeeded, 1 failed (ECONNRESET: 1).');
    expect(markdown).toContain('| secondary | 0 | 1 |');
  });

  it('lists the timeline in the order things happened, with what never happened last', () => {
    const markdown = renderLocalMarkdown(report());
    const rows = markdown.split('## Timeline')[1]?.split('## Requests')[0]?.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| event') && !l.startsWith('| ---')) ?? [];
    expect(rows.map((r) => r.split(' | ')[0]?.slice(2))).toEqual([
      'primary killed',
      'front ejected the primary',
      'load ended',
      'first success through the secondary',
      'scheduler active in the secondary',
      'heartbeat from the secondary recorded',
    ]);
    expect(rows[3]).toBe('| first success through the secondary | — |');
  });

  it('adds the failed requests and the errors only when there are some', () => {
    const quiet = renderLocalMarkdown(report());
    expect(quiet).not.toContain('## Failed requests');
    expect(quiet).not.toContain('## Errors');

    const noisy = report();
    noisy.failedRequests = [aFailedAttempt({ startMs: 4_200, client: 2, key: 'drill-x', attempt: 3 })];
    noisy.errors = ['The front never ejected the primary; moving the scheduler at the end of the load instead'];
    const markdown = renderLocalMarkdown(noisy);
    expect(markdown).toContain('| 4.2 s | 2 | drill-x | 3 | — | — | ECONNRESET |');
    expect(markdown).toContain('## Errors\n\n- The front never ejected the primary');
  });
});
