// Jest transform: TypeScript to CommonJS with esbuild, the compiler `npm run` already uses for the
// commands' bundles. It strips types and nothing else (types are checked once, by `npm run typecheck`),
// so a test file starts without loading the TypeScript compiler: about a second less per jest run
// and per worker than ts-jest. jest caches the output by file content and this file's own content.
/* global require, module, __filename, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads a transform as CommonJS */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { buildSync, transformSync } = require('esbuild');
/* eslint-enable @typescript-eslint/no-require-imports */

const SELF = createHash('sha256').update(readFileSync(__filename)).digest('hex');
/** What a package's bundle depends on besides its entry file: the installed versions. */
const LOCK = createHash('sha256')
  .update(readFileSync(join(__dirname, '..', '..', 'package-lock.json')))
  .digest('hex');

module.exports = {
  process(source, path) {
    // A package that ships ES modules only (the config's transformIgnorePatterns names its entry):
    // bundled from that entry into one CommonJS file, as bin/run-bundled.mjs bundles the commands. Jest
    // then loads one module instead of its thousand (seconds, for @kubernetes/client-node).
    if (path.split(/[\\/]/).includes('node_modules')) {
      const { outputFiles } = buildSync({
        entryPoints: [path],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        write: false,
        logLevel: 'error',
      });
      return { code: outputFiles[0].text };
    }
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
    const isPackage = path.split(/[\\/]/).includes('node_modules');
    return createHash('sha256')
      .update(SELF)
      .update(isPackage ? LOCK : '')
      .update(path)
      .update(source)
      .update(configString)
      .digest('hex');
  },
};
