#!/usr/bin/env node
// `npm test`: the static checks (type-check, lint and format check, unused code) and the whole test
// suite. The checks run beside the suite rather than before it: the suite's first seconds build the
// template databases on one core, and the checks take the other. Their output is printed once they are
// done (so it does not interleave with the suite's), and the command fails if a check or a test failed.
// Arguments go to vitest (`npm test -- --project unit`).
import { spawn } from 'node:child_process';

const CHECKS = [
  ['tsc', ['--noEmit']],
  ['biome', ['check', '.']],
  ['knip', ['--no-progress']],
];

/** Runs a command found on the PATH (npm puts node_modules/.bin first); its output kept, or shown as it comes. */
function run(command, args, keepOutput) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: keepOutput ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function checks() {
  const failed = [];
  for (const [command, args] of CHECKS) {
    const { code, output } = await run(command, args, true);
    if (code !== 0) failed.push({ command: [command, ...args].join(' '), output });
  }
  return failed;
}

const [failedChecks, suite] = await Promise.all([checks(), run('vitest', ['run', ...process.argv.slice(2)], false)]);
for (const { command, output } of failedChecks) process.stdout.write(`\n\`${command}\` failed:\n${output}`);
process.stdout.write(
  failedChecks.length === 0 ? `\nType-check, lint and unused-code checks passed (${CHECKS.map(([c]) => c).join(', ')}).\n` : `\n${failedChecks.length} of ${CHECKS.length} checks failed.\n`,
);
process.exitCode = failedChecks.length > 0 || suite.code !== 0 ? 1 : 0;
