import { rampUpWritesPerSecond, WriteRampUp } from '../../../functions/src/adapters/firestore-ramp-up';

const MINUTE = 60_000;

describe("Firestore's 500/50/5 ramp-up for a restore into a new database", () => {
  it('starts at 500 writes per second and grows by half every five minutes, up to 10,000', () => {
    expect(rampUpWritesPerSecond(0)).toBe(500);
    expect(rampUpWritesPerSecond(5 * MINUTE - 1)).toBe(500);
    expect(rampUpWritesPerSecond(5 * MINUTE)).toBe(750);
    expect(rampUpWritesPerSecond(10 * MINUTE)).toBe(1125);
    expect(rampUpWritesPerSecond(120 * MINUTE)).toBe(10_000);
  });

  it('lets the first batch go at once and holds each next batch of 500 back by its second at 500 writes/s', async () => {
    const now = 1_000;
    const waits: number[] = [];
    const ramp = new WriteRampUp(
      () => now,
      async (ms) => void waits.push(ms),
    );

    await ramp.take(500);
    await ramp.take(500);
    await ramp.take(250);
    await ramp.take(500);

    expect(waits).toEqual([1_000, 2_000, 2_500]);
  });

  it('spaces batches by the grown rate once five minutes have passed, and does not let idle time pile up into a burst', async () => {
    let now = 0;
    const waits: number[] = [];
    const ramp = new WriteRampUp(
      () => now,
      async (ms) => void waits.push(ms),
    );
    await ramp.take(500);
    now = 5 * MINUTE;
    await ramp.take(750);
    await ramp.take(750);

    expect(waits).toEqual([1_000]);
  });
});
