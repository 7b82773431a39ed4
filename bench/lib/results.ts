// Where every benchmark keeps its figures: bench/results/<name>-<time>.json (not in git).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function saveResults(name: string, figures: Record<string, unknown>): void {
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString();
  const file = path.join(dir, `${name}-${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date, ...figures }, null, 2)}\n`);
  console.log(`Saved ${path.relative(ROOT, file)}`);
}
