import type { Actor } from '../../platform/audit/audit.ts';

/** The person a change on the platform is recorded against on the year (a command or the system: nobody). */
export function editorOf(actor: Actor): string | null {
  return actor.type === 'user' ? actor.id : null;
}
