/**
 * Domain and application code stay pure (no cloud SDKs, no Functions Framework, no adapters);
 * deployed code and the operator scripts stay apart from tests and infra.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-domain-to-infra-deps',
      severity: 'error',
      comment: 'domain/ and application/ must not depend on adapters, entrypoints or cloud SDKs',
      from: { path: '^functions/src/(domain|application)/' },
      to: {
        path: [
          '^functions/src/(adapters|entrypoints)/',
          '^functions/src/(wiring|config)\\.ts$',
          'node_modules/(@google-cloud|firebase-admin|@pulumi)/',
        ],
      },
    },
    {
      name: 'no-domain-to-application',
      severity: 'error',
      from: { path: '^functions/src/domain/' },
      to: { path: '^functions/src/application/' },
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
