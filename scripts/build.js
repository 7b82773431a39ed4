// Compiles the platform's TypeScript (src/) to the JavaScript `npm start` runs (dist/), with the
// project's own compiler. `npm install` runs it (the `prepare` script); `bin/zjhk.js` runs it again
// only when a source file is newer than the last build (a developer's edit), so a start never
// compiles otherwise. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = path.join(ROOT, 'src');
const OUT = path.join(ROOT, 'dist');
/** Written last by a build that succeeded: its time is the build's. */
export const STAMP = path.join(OUT, '.built');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is missing or older than a source file or the compiler settings (a few milliseconds). */
export function isStale() {
  if (!fs.existsSync(STAMP)) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  const settings = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
  return Math.max(newestSource(SOURCES), ...settings) > built;
}

/** Whether the compiler is installed (it is not in an install without dev dependencies). */
export function canBuild() {
  return fs.existsSync(path.join(ROOT, 'node_modules/typescript/package.json'));
}

const LOCK = path.join(ROOT, '.build.lock');

/** Sleeps without giving the event loop a turn (a start waits for another process's build). */
function pause(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ if it is stale. Only one process builds at a time (two starts, or a test run's
 * workers, at once): the others wait for its lock and find dist/ fresh.
 */
export function ensureBuilt() {
  for (;;) {
    if (!isStale()) return false;
    let lock;
    try {
      lock = fs.openSync(LOCK, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than any build takes was left by a process that was killed.
      if (Date.now() - fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 10 * 60_000) fs.rmSync(LOCK, { force: true });
      pause(200);
      continue;
    }
    try {
      if (!isStale()) return false;
      build();
      return true;
    } finally {
      fs.closeSync(lock);
      fs.rmSync(LOCK, { force: true });
    }
  }
}

/** Compiles src/ into a fresh dist/; throws with the compiler's output if it fails. */
export function build() {
  fs.rmSync(OUT, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`could not compile the platform:\n${result.stdout}${result.stderr}`);
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // An install without dev dependencies has no compiler: it runs a dist/ built elsewhere.
    if (canBuild()) build();
    else process.stderr.write('No TypeScript compiler installed (an install without dev dependencies): dist/ is not built here.\n');
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
