/**
 * Progress of a long operation on the terminal: a `cli-progress` bar with rate and time left
 * when stdout is a terminal, plain lines (every few seconds and at the end) when it is not, so
 * that logs and CI output stay readable.
 */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 5_000;

/** A progress display for `total` units of `unit` (e.g. documents). */
export function startProgress(label: string, total: number, unit: string, out: NodeJS.WriteStream = process.stdout): Progress {
  const started = Date.now();
  const rate = (done: number): number => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  if (out.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | {eta_formatted} left`, stream: out, etaBuffer: 50, fps: 5 },
      Presets.shades_classic,
    );
    bar.start(total, 0, { rate: 0 });
    return {
      update: (done) => bar.update(done, { rate: rate(done) }),
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  let last = 0;
  const line = (done: number): void => {
    const perSecond = rate(done);
    const left = perSecond > 0 ? Math.ceil((total - done) / perSecond) : 0;
    out.write(`${label}: ${done}/${total} ${unit} (${total === 0 ? 100 : Math.floor((done / total) * 100)}%), ${perSecond}/s, ${left} s left\n`);
  };
  return {
    update: (done) => {
      last = done;
      if (Date.now() - lastLine >= PLAIN_EVERY_MS) {
        lastLine = Date.now();
        line(done);
      }
    },
    stop: () => line(last),
  };
}
