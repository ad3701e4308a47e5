/**
 * Three tiers, each its own jest project: unit (pure, no network), integration (emulators),
 * infra (Pulumi mocks). temporal-polyfill ships only ES modules: Node 20 loads them with
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
  projects: [project('unit'), project('integration', { testTimeout: 60000 }), project('infra', { testTimeout: 60000 })],
};
