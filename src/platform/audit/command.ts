import { readFileSync } from 'node:fs';
import { type Command, CommandError, UsageError } from '../module.ts';
import { checkPublishedCheckpoint, publishedCheckpoint, verifyAuditTrail, writeCheckpoint } from './audit.ts';

const USAGE = 'audit verify [--against <file>] | audit checkpoint';

/**
 * `zjhk audit verify`: every chain from its start, every checkpoint since the trail was last sealed,
 * and, with --against, checkpoints published elsewhere (a file of the lines `zjhk audit checkpoint`
 * printed). `zjhk audit checkpoint`: records every chain's head now and prints it for publishing.
 */
export const auditCommand: Command = {
  name: 'audit',
  usage: USAGE,
  summary: 'Check the audit trail’s chains and checkpoints (naming the first broken record), or write a checkpoint to publish',
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub === 'checkpoint') {
      if (rest.length > 0) throw new UsageError(`usage: zjhk ${USAGE}`);
      const checkpoint = await writeCheckpoint(ctx.db.kysely, { reason: `on demand (${ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.label})`, now: ctx.now() });
      ctx.print(`Checkpoint ${checkpoint.id} written: ${checkpoint.heads.length} chains. Publish or send elsewhere this line; \`zjhk audit verify --against <file>\` checks the trail against it:`);
      ctx.print(publishedCheckpoint(checkpoint));
      return;
    }
    if (sub !== 'verify') throw new UsageError(`usage: zjhk ${USAGE}`);
    let against: string | undefined;
    if (rest.length === 2 && rest[0] === '--against') against = rest[1];
    else if (rest.length > 0) throw new UsageError(`usage: zjhk ${USAGE}`);
    const result = await verifyAuditTrail(ctx.db.kysely);
    if (result.broken) {
      throw new CommandError(
        `the audit trail is broken at ${/^\d+$/.test(result.broken.id) ? `record ${result.broken.id}` : result.broken.id}: ${result.broken.reason} (${result.checked} records intact)`,
      );
    }
    ctx.print(
      `Audit trail intact: ${result.checked} records, every seal matches; ${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'} since it was last sealed, every head present.`,
    );
    if (against === undefined) return;
    let text: string;
    try {
      text = readFileSync(against, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${against}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'));
    if (lines.length === 0) throw new UsageError(`${against} holds no published checkpoint (the JSON line \`zjhk audit checkpoint\` prints)`);
    for (const [i, line] of lines.entries()) {
      const checked = await checkPublishedCheckpoint(ctx.db.kysely, line);
      if (!checked.ok) throw new CommandError(`published checkpoint ${i + 1} of ${against}: ${checked.reason}`);
    }
    ctx.print(lines.length === 1 ? 'The published checkpoint matches the trail.' : `All ${lines.length} published checkpoints match the trail.`);
  },
};
