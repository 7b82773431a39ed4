// Releases registered on acquisition and run in reverse order, on success, on errors and on SIGINT.

type Release = () => Promise<void>;

const releases = new Map<symbol, { label: string; release: Release }>();

/** Registers a release; the returned function runs it once and unregisters it. */
export function onCleanup(label: string, release: Release): () => Promise<void> {
  const key = Symbol(label);
  releases.set(key, { label, release });
  return async () => {
    if (!releases.delete(key)) return;
    await release();
  };
}

/** Runs every release still registered, newest first; failures are reported, not thrown. */
export async function cleanupAll(): Promise<void> {
  const pending = [...releases.entries()].reverse();
  releases.clear();
  for (const [, { label, release }] of pending) {
    try {
      await release();
    } catch (error) {
      console.error(`cleanup: ${label} failed: ${String(error)}`);
    }
  }
}

export function installSignalHandlers(): void {
  let interrupted = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping servers and cleaning up…`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
