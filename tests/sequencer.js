/**
 * Runs the local failover drill's test last: it kills a "region" mid-request on purpose, and
 * the Firestore emulator keeps that process's open transactions (refusing to be cleared with
 * 409) until it expires them, which would slow or fail the next test file's reset.
 */
const Sequencer = require('@jest/test-sequencer').default;

class DrillLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const isDrill = (test) => test.path.includes('failover-drill');
    return [...sorted.filter((t) => !isDrill(t)), ...sorted.filter(isDrill)];
  }
}

module.exports = DrillLastSequencer;
