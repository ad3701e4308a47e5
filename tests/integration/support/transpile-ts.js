/**
 * `node --require ./transpile-ts.js script.ts`: runs a TypeScript test-support script (and the
 * sources it imports) in a child process without a build, transpiling each `.ts` module with
 * the project's TypeScript as it is required (no type check: `npm run lint` does that).
 */
const { readFileSync } = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
  });
  module._compile(outputText, filename);
};
