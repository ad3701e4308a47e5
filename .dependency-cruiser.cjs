/**
 * Domain and application code stay pure (no cloud SDKs, no Functions Framework, no adapters);
 * the domain depends on nothing but itself; application code never names a topic, a
 * deployment or an adapter (the manifest, the composition roots); entry points and operator
 * commands reach adapters only through the composition root (`wiring.ts`, `wiring-backups.ts`);
 * deployed code and the operator scripts stay apart from tests and infra.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-domain-to-infra-deps',
      severity: 'error',
      comment:
        'domain/ and application/ must not depend on adapters, entrypoints, the composition roots, the configuration, ' +
        'the deployment manifest (use cases emit events by kind; topics are the manifest\'s and the outbox adapter\'s) or cloud SDKs',
      from: { path: '^functions/src/(domain|application)/' },
      to: {
        path: [
          '^functions/src/(adapters|entrypoints)/',
          '^functions/src/(wiring|wiring-backups|config|manifest|index)\\.ts$',
          'node_modules/(@google-cloud|firebase-admin|@pulumi)/',
        ],
      },
    },
    {
      name: 'no-domain-to-outside-domain',
      severity: 'error',
      comment: 'domain/ holds the pure rules: it imports nothing of functions/src outside domain/ (libraries such as zod and Temporal are fine)',
      from: { path: '^functions/src/domain/' },
      to: { path: '^functions/src/', pathNot: '^functions/src/domain/' },
    },
    {
      name: 'entrypoints-reach-adapters-through-wiring',
      severity: 'error',
      comment:
        'entry points get ports from the composition root (wiring.ts, wiring-backups.ts) and never import an adapter or a ' +
        'Firestore, Pub/Sub, Auth or KMS client themselves (the Functions Framework is theirs)',
      from: { path: '^functions/src/entrypoints/' },
      to: {
        path: ['^functions/src/adapters/', 'node_modules/(@google-cloud/(?!functions-framework/)|firebase-admin/|@grpc/)'],
      },
    },
    {
      name: 'commands-reach-adapters-through-wiring',
      severity: 'error',
      comment:
        'operator commands (scripts/commands, scripts/tuki.ts) are thin over functions/src: they reach adapters through ' +
        'the composition root; benchmarks, drills and the local host may use adapters as baselines and seeds',
      from: { path: '^scripts/(commands/|tuki\\.ts$)' },
      to: { path: '^functions/src/adapters/' },
    },
    {
      name: 'no-deployed-code-to-tooling',
      severity: 'error',
      comment: 'functions/src is deployed from source on its own: it must not reach scripts, tests or infra',
      from: { path: '^functions/src/' },
      to: { path: '^(scripts|tests|infra)/' },
    },
    {
      name: 'no-scripts-to-tests-or-infra',
      severity: 'error',
      comment: 'scripts run compiled from dist/, which the build fills without tests/ and infra/',
      from: { path: '^scripts/' },
      to: { path: '^(tests|infra)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
