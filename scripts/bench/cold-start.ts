/**
 * Cold start: time from process start to the first answered request, for tuki's `api`
 * function (GET /v1/health) against a hello-world Functions Framework function, each started
 * with the real `functions-framework` binary, several times, medians compared.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../lib/emulators';
import { fmt, median } from './stats';

async function timeToFirstAnswer(source: string, target: string, path: string, port: number, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot(), 'node_modules/@google-cloud/functions-framework/build/src/main.js'), `--target=${target}`, `--source=${source}`, `--port=${port}`], {
    env,
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        if (response.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 30_000) throw new Error(`${target} did not answer within 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function benchColdStart(log: (line: string) => void, runs = 7): Promise<Record<string, number>> {
  const dist = join(repoRoot(), 'dist');
  const hello: number[] = [];
  const tuki: number[] = [];
  for (let i = 0; i < runs; i++) {
    hello.push(await timeToFirstAnswer(join(dist, 'scripts/bench/hello-function.js'), 'hello', '/', 18_080, process.env));
    tuki.push(await timeToFirstAnswer(join(dist, 'functions/src/index.js'), 'api', '/v1/health', 18_081, process.env));
  }
  const result = { helloMedianMs: median(hello), tukiMedianMs: median(tuki), ratio: median(tuki) / median(hello) };
  log(`cold start (median of ${runs}): hello-world ${fmt(result.helloMedianMs)} ms, tuki api ${fmt(result.tukiMedianMs)} ms, ratio ${fmt(result.ratio, 2)} (target <= 1.5)`);
  return result;
}
