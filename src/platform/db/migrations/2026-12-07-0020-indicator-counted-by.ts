import { type Kysely, sql } from 'kysely';

/**
 * What an indicator counts on the platform, whichever module keeps the records: `counted_by` names the
 * source and its choice, 'events:any' or 'events:promotion' (the module's manifest declares both), and
 * replaces `counts_events`, which only events could fill. The values carry over: 'promotion' becomes
 * 'events:promotion'. Which choices exist is the modules' to say, so the database checks the form only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators add column counted_by text check (counted_by ~ '^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*$')`.execute(db);
  await sql`update indicators set counted_by = 'events:' || counts_events where counts_events is not null`.execute(db);
  await sql`alter table indicators drop column counts_events`.execute(db);
}

/** Back to `counts_events`: an indicator counting anything but events is left to progress updates. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table indicators add column counts_events text check (counts_events in ('any', 'promotion', 'symposium', 'forum', 'exhibition', 'study-tour', 'training', 'other'))`.execute(db);
  await sql`
    update indicators set counts_events = substr(counted_by, length('events:') + 1)
    where counted_by like 'events:%' and substr(counted_by, length('events:') + 1) in ('any', 'promotion', 'symposium', 'forum', 'exhibition', 'study-tour', 'training', 'other')`.execute(db);
  await sql`alter table indicators drop column counted_by`.execute(db);
}
