/** The stack drill's real side that runs without a cloud: the stack-file rewrite for previews and the Automation API driver over a stand-in stack. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIVE_REGION_KEY } from '../../../scripts/drill/failover';
import { AutomationStackDriver, withConfigValues } from '../../../scripts/drill/failover-adapters';

describe('previewing a config change without touching the stack file', () => {
  const FILE = [
    '# staging',
    'encryptionsalt: v1:abc',
    'config:',
    '  gcp:project: tuki-staging',
    '  tuki:activeRegion: primary # flipped by drills',
    '  tuki:apiKey:',
    '    secure: v1:xyz',
    '',
  ].join('\n');

  it('replaces an existing value and keeps everything else', () => {
    expect(withConfigValues(FILE, { 'tuki:activeRegion': 'secondary' })).toBe(FILE.replace('tuki:activeRegion: primary # flipped by drills', 'tuki:activeRegion: secondary'));
  });

  it('adds a value that is not set', () => {
    const without = FILE.replace('  tuki:activeRegion: primary # flipped by drills\n', '');
    expect(withConfigValues(without, { 'tuki:activeRegion': 'secondary' })).toContain('config:\n  tuki:activeRegion: secondary\n  gcp:project: tuki-staging');
  });

  it('refuses values it cannot write safely', () => {
    expect(() => withConfigValues(FILE, { 'tuki:activeRegion': 'a: b' })).toThrow(/Cannot write/);
  });
});

describe('the Automation API driver', () => {
  const STACK_FILE = 'config:\n  gcp:project: tuki-staging\n  tuki:activeRegion: primary\n';

  async function withWorkDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'tuki-driver-test-'));
    try {
      await writeFile(join(dir, 'Pulumi.staging.yaml'), STACK_FILE);
      return await run(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A stand-in for the Automation API's `Stack`, recording what the driver asks of it. */
  function fakeStack() {
    const seen: { previewFile?: string; previewText?: string; previewFileExistsAfter?: boolean; set?: unknown[] } = {};
    const stack = {
      name: 'acme/tuki/staging',
      getAllConfig: async () => ({ 'gcp:project': { value: 'tuki-staging', secret: false } }),
      setConfig: async (...args: unknown[]) => {
        seen.set = args;
      },
      up: async () => ({ stdout: '', stderr: '', outputs: {}, summary: { resourceChanges: { update: 2, same: 9 } } }),
      preview: async (options: { configFile?: string }) => {
        seen.previewFile = options.configFile;
        seen.previewText = options.configFile === undefined ? undefined : readFileSync(options.configFile, 'utf8');
        return { stdout: '', stderr: '', changeSummary: { update: 2, same: 9 } };
      },
      outputs: async () => ({ endpointUrl: { value: 'https://support.example.com', secret: false } }),
    };
    return { stack, seen };
  }

  it('previews against a flipped copy of the stack file and leaves the stack file alone', async () => {
    await withWorkDir(async (dir) => {
      const { stack, seen } = fakeStack();
      const driver = new AutomationStackDriver(stack as never, dir, () => undefined);
      expect(await driver.preview({ [ACTIVE_REGION_KEY]: 'secondary' })).toEqual({ update: 2, same: 9 });
      expect(seen.previewText).toBe(STACK_FILE.replace('activeRegion: primary', 'activeRegion: secondary'));
      expect(seen.previewFile).not.toContain(dir);
      expect(existsSync(seen.previewFile as string)).toBe(false);
      expect(await readFile(join(dir, 'Pulumi.staging.yaml'), 'utf8')).toBe(STACK_FILE);
      expect(seen.set).toBeUndefined();
    });
  });

  it('reads unset config as undefined, sets plain values, and maps outputs and up summaries', async () => {
    const { stack, seen } = fakeStack();
    const driver = new AutomationStackDriver(stack as never, '/nowhere', () => undefined);
    expect(await driver.getConfig(ACTIVE_REGION_KEY)).toBeUndefined();
    expect(await driver.getConfig('gcp:project')).toBe('tuki-staging');
    await driver.setConfig(ACTIVE_REGION_KEY, 'secondary');
    expect(seen.set).toEqual([ACTIVE_REGION_KEY, { value: 'secondary', secret: false }]);
    expect(await driver.up()).toEqual({ update: 2, same: 9 });
    expect(await driver.outputs()).toEqual({ endpointUrl: 'https://support.example.com' });
  });
});
