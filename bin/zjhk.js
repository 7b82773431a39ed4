#!/usr/bin/env node
// The platform's command line. Runs the compiled JavaScript in dist/ (see scripts/build.js): built
// by `npm install`, and again here only when a source file changed since (a developer's edit).
import module from 'node:module';
import { canBuild, ensureBuilt, isStale } from '../scripts/build.js';

// V8's compiled code of the platform's modules, kept on disk between runs (Node.js 22.1 and later;
// without effect on older ones): loading dist/main.js went from about 0.8 s to 0.55 s on Node.js 24,
// which every command of the command line pays.
module.enableCompileCache?.();

if (isStale()) {
  if (!canBuild()) {
    process.stderr.write('The compiled platform (dist/) is missing or older than its sources, and the compiler is not installed: run `npm install` (with dev dependencies), then `npm run build`.\n');
    process.exit(1);
  }
  process.stderr.write('Compiling the platform (its sources changed since the last build) …\n');
  try {
    ensureBuilt();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
