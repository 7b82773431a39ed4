import { type Kysely, sql } from 'kysely';

/**
 * Implementation tracking: what is done for each commitment (actions, milestones), how it is measured
 * (indicators, periods, actuals per side), the progress updates that carry evidence through approval,
 * the project agreements signed under the framework, and the meetings that steer it. Uploaded files
 * live in `files` (their bytes on disk with the embedded database, in the row with a server).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table files (
      id text primary key,
      name text not null,
      media_type text not null,
      size integer not null check (size >= 0),
      sha256 text not null,
      storage text not null check (storage in ('disk', 'database')),
      content bytea,
      uploaded_by text references users (id),
      created_at timestamptz not null default now(),
      check ((storage = 'database') = (content is not null))
    )`.execute(db);

  await sql`
    create table meetings (
      id integer generated always as identity primary key,
      reference text not null unique,
      type text not null check (type in ('plenary', 'working-group', 'symposium')),
      title jsonb not null,
      held_on date not null,
      place jsonb not null default '{}',
      minutes jsonb not null default '{}',
      illustrative boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index meetings_held_on on meetings (held_on)`.execute(db);
  await sql`
    create table meeting_participants (
      meeting_id integer not null references meetings (id) on delete cascade,
      organisation_id text not null references organisations (id),
      primary key (meeting_id, organisation_id)
    )`.execute(db);
  await sql`
    create table meeting_decisions (
      id integer generated always as identity primary key,
      meeting_id integer not null references meetings (id) on delete cascade,
      number integer not null check (number > 0),
      text jsonb not null,
      commitment_id integer references commitments (id),
      unique (meeting_id, number)
    )`.execute(db);

  await sql`
    create table actions (
      id integer generated always as identity primary key,
      commitment_id integer not null references commitments (id),
      parent_id integer references actions (id),
      decision_id integer references meeting_decisions (id),
      title jsonb not null,
      description jsonb not null default '{}',
      lead_hong_kong text references organisations (id),
      lead_zhejiang text references organisations (id),
      starts_on date,
      ends_on date,
      status text not null default 'planned'
        check (status in ('planned', 'in-progress', 'completed', 'at-risk', 'delayed', 'discontinued')),
      status_reason text,
      illustrative boolean not null default false,
      created_by text references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (parent_id is null or parent_id <> id),
      check (ends_on is null or starts_on is null or ends_on >= starts_on),
      check ((status = 'discontinued') <= (status_reason is not null))
    )`.execute(db);
  await sql`create index actions_commitment on actions (commitment_id)`.execute(db);
  await sql`create index actions_parent on actions (parent_id)`.execute(db);
  await sql`create index actions_lead_hong_kong on actions (lead_hong_kong)`.execute(db);
  await sql`create index actions_lead_zhejiang on actions (lead_zhejiang)`.execute(db);
  await sql`
    create table action_partners (
      action_id integer not null references actions (id) on delete cascade,
      organisation_id text not null references organisations (id),
      primary key (action_id, organisation_id)
    )`.execute(db);

  await sql`
    create table milestones (
      id integer generated always as identity primary key,
      action_id integer not null references actions (id) on delete cascade,
      title jsonb not null,
      due_on date not null,
      status text not null default 'scheduled' check (status in ('scheduled', 'met', 'not-met', 'partially-met')),
      met_on date,
      evidence jsonb not null default '{}',
      illustrative boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status in ('met', 'partially-met')) = (met_on is not null))
    )`.execute(db);
  await sql`create index milestones_action on milestones (action_id, due_on)`.execute(db);
  await sql`create index milestones_open_due on milestones (due_on) where status = 'scheduled'`.execute(db);

  await sql`
    create table indicators (
      id integer generated always as identity primary key,
      commitment_id integer not null references commitments (id),
      action_id integer references actions (id),
      name jsonb not null,
      description jsonb not null default '{}',
      unit jsonb not null default '{}',
      measure text not null check (measure in ('number', 'percentage', 'qualitative')),
      direction text not null check (direction in ('increase', 'decrease', 'maintain')),
      scope text not null check (scope in ('joint', 'per-side')),
      baseline_value double precision,
      baseline_text jsonb,
      baseline_on date,
      source jsonb not null default '{}',
      illustrative boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index indicators_commitment on indicators (commitment_id)`.execute(db);
  await sql`
    create table indicator_periods (
      id integer generated always as identity primary key,
      indicator_id integer not null references indicators (id) on delete cascade,
      starts_on date not null,
      ends_on date not null,
      target_value double precision,
      target_text jsonb,
      unique (indicator_id, starts_on),
      check (ends_on >= starts_on)
    )`.execute(db);

  await sql`
    create table project_agreements (
      id integer generated always as identity primary key,
      reference text not null unique,
      title jsonb not null,
      summary jsonb not null default '{}',
      parties jsonb not null default '[]',
      signed_on date not null,
      signed_place jsonb not null default '{}',
      starts_on date,
      ends_on date,
      status text not null default 'signed' check (status in ('signed', 'in-implementation', 'completed', 'terminated')),
      source_url text,
      illustrative boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table project_agreement_commitments (
      project_agreement_id integer not null references project_agreements (id) on delete cascade,
      commitment_id integer not null references commitments (id),
      primary key (project_agreement_id, commitment_id)
    )`.execute(db);
  await sql`create index project_agreement_commitments_commitment on project_agreement_commitments (commitment_id)`.execute(db);
  await sql`
    create table project_agreement_documents (
      project_agreement_id integer not null references project_agreements (id) on delete cascade,
      file_id text not null references files (id),
      primary key (project_agreement_id, file_id)
    )`.execute(db);

  await sql`
    create table progress_updates (
      id integer generated always as identity primary key,
      reference text not null unique,
      action_id integer not null references actions (id),
      commitment_id integer not null references commitments (id),
      organisation_id text not null references organisations (id),
      side text not null check (side in ('hong-kong', 'zhejiang')),
      narrative jsonb not null,
      state text not null default 'draft' check (state in ('draft', 'submitted', 'returned', 'approved')),
      return_reason text,
      author_id text references users (id),
      submitted_at timestamptz,
      decided_by text references users (id),
      decided_at timestamptz,
      approved_at timestamptz,
      illustrative boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((state = 'returned') <= (return_reason is not null)),
      check ((state = 'approved') = (approved_at is not null))
    )`.execute(db);
  await sql`create index progress_updates_action on progress_updates (action_id, state)`.execute(db);
  await sql`create index progress_updates_commitment_approved on progress_updates (commitment_id, approved_at desc) where state = 'approved'`.execute(db);
  await sql`create index progress_updates_approved on progress_updates (approved_at desc) where state = 'approved'`.execute(db);
  await sql`create index progress_updates_queue on progress_updates (side, state)`.execute(db);
  await sql`create index progress_updates_organisation on progress_updates (organisation_id, state)`.execute(db);
  await sql`
    create table update_indicator_values (
      update_id integer not null references progress_updates (id) on delete cascade,
      period_id integer not null references indicator_periods (id),
      value double precision,
      text jsonb,
      primary key (update_id, period_id),
      check (value is not null or text is not null)
    )`.execute(db);
  await sql`
    create table update_attachments (
      update_id integer not null references progress_updates (id) on delete cascade,
      file_id text not null references files (id),
      primary key (update_id, file_id)
    )`.execute(db);
  await sql`
    create table update_project_agreements (
      update_id integer not null references progress_updates (id) on delete cascade,
      project_agreement_id integer not null references project_agreements (id),
      primary key (update_id, project_agreement_id)
    )`.execute(db);

  // The public figure of a period, per side: written when an update carrying it is approved.
  await sql`
    create table indicator_actuals (
      period_id integer not null references indicator_periods (id) on delete cascade,
      side text not null check (side in ('hong-kong', 'zhejiang')),
      value double precision,
      text jsonb,
      update_id integer not null references progress_updates (id),
      recorded_at timestamptz not null,
      confirmed_by text references users (id),
      confirmed_at timestamptz,
      primary key (period_id, side)
    )`.execute(db);

  // The daily digest of milestones sent to an officer: at most one a day.
  await sql`
    create table milestone_digests (
      user_id text not null references users (id) on delete cascade,
      sent_on date not null,
      primary key (user_id, sent_on)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'milestone_digests',
    'indicator_actuals',
    'update_project_agreements',
    'update_attachments',
    'update_indicator_values',
    'progress_updates',
    'project_agreement_documents',
    'project_agreement_commitments',
    'project_agreements',
    'indicator_periods',
    'indicators',
    'milestones',
    'action_partners',
    'actions',
    'meeting_decisions',
    'meeting_participants',
    'meetings',
    'files',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
