/** The pure rules of backups: one snapshot id per day, the retention, and checks against a manifest. */
import {
  compareWithManifest,
  ContentDigest,
  expiredSnapshots,
  renderRestoreDrillMarkdown,
  RestoredCollectionCheck,
  rootCollectionOf,
  shreddingProblems,
  snapshotDigest,
  snapshotIdFor,
  SNAPSHOT_FORMAT,
  type SnapshotFile,
  type SnapshotManifest,
} from '../../../functions/src/domain/backups';

const digestOf = (...lines: string[]): string => {
  const d = new ContentDigest();
  lines.forEach((l) => d.add(l));
  return d.digest();
};

function aFile(collection: string, lines: string[]): SnapshotFile {
  return { collection, file: `run/${collection}.ndjson.gz`, documents: lines.length, bytes: 100, sha256: 'a'.repeat(64), contentSha256: digestOf(...lines) };
}

function aManifest(files: SnapshotFile[]): SnapshotManifest {
  return {
    format: SNAPSHOT_FORMAT,
    id: '2026-12-01',
    runId: 'run',
    database: 'projects/p/databases/(default)',
    readTime: '2026-12-01T02:30:00.000000000Z',
    startedAt: '2026-12-01T02:30:00.000Z',
    finishedAt: '2026-12-01T02:31:00.000Z',
    durationMs: 60_000,
    collections: files,
    documents: files.reduce((s, f) => s + f.documents, 0),
    bytes: 100 * files.length,
    sha256: snapshotDigest(files),
  };
}

describe('snapshot ids', () => {
  it('two runs on one UTC day get the same id, the next day another', () => {
    expect(snapshotIdFor(Date.parse('2026-12-01T00:00:00Z'))).toBe('2026-12-01');
    expect(snapshotIdFor(Date.parse('2026-12-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(snapshotIdFor(Date.parse('2026-12-02T00:00:00Z'))).toBe('2026-12-02');
  });
});

describe('retention', () => {
  const now = Date.parse('2026-12-01T02:30:00Z');

  it('when a snapshot day ended more than the retention ago, then it is expired; younger ones and other names stay', () => {
    const ids = ['2026-10-25', '2026-10-26', '2026-10-27', '2026-11-30', '2026-12-01', 'not-a-snapshot', '2026-13-45'];
    // 35 days before 2026-12-01T02:30 is 2026-10-27T02:30: the day of 10-26 ended before that, 10-27 did not.
    expect(expiredSnapshots(ids, now, 35)).toEqual(['2026-10-25', '2026-10-26']);
  });

  it('erased data leaves the backups within retention + 1 days: the day a document was last snapshotted is pruned by then', () => {
    const lastSnapshot = '2026-11-01';
    const erasedAt = Date.parse('2026-11-01T12:00:00Z');
    expect(expiredSnapshots([lastSnapshot], erasedAt + 35 * 86_400_000, 35)).toEqual([]);
    expect(expiredSnapshots([lastSnapshot], erasedAt + 36 * 86_400_000, 35)).toEqual([lastSnapshot]);
  });
});

describe('verification against the manifest', () => {
  const tickets = ['{"p":"tickets/a"}', '{"p":"tickets/a/messages/m"}'];
  const manifest = aManifest([aFile('principals', ['{"p":"principals/u"}']), aFile('tickets', tickets)]);
  const observed = (overrides: Record<string, { documents: number; contentSha256: string }> = {}) =>
    new Map(Object.entries({ principals: { documents: 1, contentSha256: digestOf('{"p":"principals/u"}') }, tickets: { documents: 2, contentSha256: digestOf(...tickets) }, ...overrides }));

  it('when every collection has its count and content checksum, then there is no problem', () => {
    expect(compareWithManifest(manifest, observed())).toEqual([]);
  });

  it('when a document differs by one character, then the content checksum differs', () => {
    const problems = compareWithManifest(manifest, observed({ tickets: { documents: 2, contentSha256: digestOf('{"p":"tickets/b"}', tickets[1] ?? '') } }));
    expect(problems).toEqual(['tickets: content checksum differs from the manifest']);
  });

  it('when a collection is missing or extra, or counts differ, then each is named', () => {
    const found = observed({ stray: { documents: 3, contentSha256: digestOf('x') } });
    found.delete('principals');
    found.set('tickets', { documents: 1, contentSha256: digestOf(tickets[0] ?? '') });
    expect(compareWithManifest(manifest, found)).toEqual([
      'principals: missing (expected 1 documents)',
      'tickets: 1 documents, the manifest says 2',
      'tickets: content checksum differs from the manifest',
      'stray: 3 documents that the snapshot does not have',
    ]);
  });

  it('when the manifest was edited (a count changed), then its own checksum no longer matches', () => {
    const edited = { ...manifest, collections: manifest.collections.map((c) => ({ ...c, documents: c.documents + 1 })) };
    expect(compareWithManifest(edited, observed())).toContain('the manifest checksum does not match its files');
  });
});

describe('restore drill reports', () => {
  it('a report names the recovery point and time and every failure', () => {
    const markdown = renderRestoreDrillMarkdown({
      id: 'restore-1',
      kind: 'restore',
      result: 'failed',
      snapshotId: '2026-12-01',
      snapshotSha256: 'b'.repeat(64),
      target: 'projects/p/databases/tuki-drill',
      startedAt: '2026-12-07T04:30:00.000Z',
      finishedAt: '2026-12-07T04:31:00.000Z',
      snapshotAgeMs: (6 * 24 + 2) * 3_600_000,
      restoreMs: 41_000,
      verifyMs: 9_000,
      documents: 100_000,
      collections: [{ collection: 'tickets', expected: 10, restored: 9 }],
      cryptoShredding: { destroyedKeysChecked: 2, destroyedKeysUnreadable: 2, liveKeysChecked: 5, liveKeysReadable: 5 },
      problems: ['tickets: 9 documents, the manifest says 10'],
    });
    expect(markdown).toContain('FAILED');
    expect(markdown).toContain('Recovery point (snapshot age at the start): 146 h 0 min');
    expect(markdown).toContain('Recovery time (restore and verify): 50.0 s');
    expect(markdown).toContain('| tickets | 10 | 9 |');
    expect(markdown).toContain('- tickets: 9 documents, the manifest says 10');
  });

  it('an original with a destroyed key that opens, or one with a live key that does not, is a problem', () => {
    expect(shreddingProblems({ destroyedKeysChecked: 2, destroyedKeysUnreadable: 2, liveKeysChecked: 1, liveKeysReadable: 1 })).toEqual([]);
    expect(shreddingProblems({ destroyedKeysChecked: 2, destroyedKeysUnreadable: 1, liveKeysChecked: 1, liveKeysReadable: 0 })).toEqual([
      '1 originals with a destroyed key are readable in the restored copy',
      '1 originals with a live key do not open in the restored copy',
    ]);
  });
});

describe('paths', () => {
  it('a subcollection document belongs to the root collection of its ancestors', () => {
    expect(rootCollectionOf('tickets/a/messages/m')).toBe('tickets');
    expect(rootCollectionOf('principals/u')).toBe('principals');
  });
});

describe('the read-back check of a restore', () => {
  const lines = ['{"p":"tickets/a","f":{}}', '{"p":"tickets/a/messages/m","f":{"n":{"i":"1"}}}', '{"p":"tickets/b","f":{}}'];
  const written = lines.map((line) => ({ path: (JSON.parse(line) as { p: string }).p, line }));

  it('documents that read back byte for byte, in chunks, match the manifest as a full read of the target would', () => {
    const check = new RestoredCollectionCheck('tickets');
    check.add(written.slice(0, 2).map((d) => ({ ...d, restored: d.line })));
    check.add(written.slice(2).map((d) => ({ ...d, restored: d.line })));

    expect(check.problems()).toEqual([]);
    expect(compareWithManifest(aManifest([aFile('tickets', lines)]), new Map([['tickets', check.observed()]]))).toEqual([]);
  });

  it('a document that reads back changed or not at all is named, and the collection no longer matches its manifest', () => {
    const check = new RestoredCollectionCheck('tickets');
    check.add([
      { ...written[0]!, restored: written[0]!.line },
      { ...written[1]!, restored: '{"p":"tickets/a/messages/m","f":{"n":{"d":1}}}' }, // an integer that came back a double
      { ...written[2]!, restored: undefined },
    ]);

    expect(check.problems()).toEqual(['tickets: 2 documents did not read back as written (tickets/a/messages/m differs, tickets/b is missing)']);
    expect(compareWithManifest(aManifest([aFile('tickets', lines)]), new Map([['tickets', check.observed()]]))).toEqual([
      'tickets: 2 documents, the manifest says 3',
      'tickets: content checksum differs from the manifest',
    ]);
  });
});
