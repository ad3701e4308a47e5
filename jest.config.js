/**
 * Three tiers, each its own jest project: unit (pure, no network), integration (emulators),
 * infra (Pulumi mocks); and e2e, pages in a real browser (Chromium) on the same emulators.
 * temporal-polyfill ships only ES modules: Node 20 loads them with
 * require(esm), jest's module runtime does not, so jest transpiles that one package.
 */
const tsJest = ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true, allowJs: true } }];
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': tsJest },
  transformIgnorePatterns: ['/node_modules/(?!(temporal-polyfill|temporal-utils|temporal-spec)/)'],
  testMatch: [`<rootDir>/tests/${name}/**/*.test.ts`],
  ...extra,
});
module.exports = {
  // Root-level: jest ignores timeouts set per project. Integration and infra tests start servers and programs.
  testTimeout: 60000,
  testSequencer: '<rootDir>/tests/sequencer.js',
  projects: [project('unit'), project('integration'), project('infra'), project('e2e')],
};
