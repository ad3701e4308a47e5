/**
 * Runs the outage tests (they freeze emulator processes) after the others, and the local
 * failover drill's test last: it kills a "region" mid-request on purpose, and
 * the Firestore emulator keeps that process's open transactions (refusing to be cleared with
 * 409) until it expires them, which would slow or fail the next test file's reset.
 */
const Sequencer = require('@jest/test-sequencer').default;

class DrillLastSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const isDrill = (test) => test.path.includes('failover-drill');
    const isOutage = (test) => test.path.includes('outage');
    return [...sorted.filter((t) => !isDrill(t) && !isOutage(t)), ...sorted.filter(isOutage), ...sorted.filter(isDrill)];
  }
}

module.exports = DrillLastSequencer;
