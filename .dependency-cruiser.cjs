/** Domain and application code stay pure: no cloud SDKs, no Functions Framework, no adapters. */
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
