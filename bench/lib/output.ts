// What every benchmark prints, and how it ends.
import { cleanupAll, installSignalHandlers } from './cleanup.ts';
import { BenchError } from './server.ts';

/** A plain-text table: the first `leftColumns` columns aligned left, the others right. */
export function table(header: string[], lines: string[][], leftColumns: number): void {
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const format = (cells: string[]): string => cells.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line));
}

/**
 * Runs a benchmark's main function and exits with its code after releasing everything it holds
 * (servers, databases, folders); stopped cleanly on Ctrl-C. A BenchError prints as one line.
 */
export function runBenchmark(main: () => Promise<number>): void {
  installSignalHandlers();
  main().then(
    async (code) => {
      await cleanupAll();
      process.exit(code);
    },
    async (error: unknown) => {
      console.error(error instanceof BenchError ? `bench: ${error.message}` : error);
      await cleanupAll();
      process.exit(1);
    },
  );
}
