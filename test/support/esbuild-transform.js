// Jest transform: TypeScript to CommonJS with esbuild, the compiler `npm run` already uses for the
// commands' bundles. It strips types and nothing else (types are checked once, by `npm run typecheck`),
// so a test file starts without loading the TypeScript compiler: about a second less per jest run
// and per worker than ts-jest. jest caches the output by file content and this file's own content.
/* global require, module, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads a transform as CommonJS */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync } = require('esbuild');
/* eslint-enable @typescript-eslint/no-require-imports */

const SELF = createHash('sha256').update(readFileSync(__filename)).digest('hex');

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, {
      loader: path.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      // import() becomes require(), as tsc's CommonJS output does: jest runs no ES modules.
      supported: { 'dynamic-import': false },
      sourcefile: path,
      sourcemap: 'external',
      sourcesContent: false,
    });
    return { code, map };
  },
  getCacheKey(source, path, { configString }) {
    return createHash('sha256').update(SELF).update(path).update(source).update(configString).digest('hex');
  },
};
