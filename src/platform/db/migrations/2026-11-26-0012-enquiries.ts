import { type Kysely, sql } from 'kysely';

/**
 * Enquiries (諮詢): topics and their routing, the settings of time limits, the cases with their
 * deadlines, their timeline and attachments, and the one-time codes and short sessions of /track.
 * The queue indexes lead with the handling agency (officers) or side (coordinators), then the state
 * and due date, so an agency's page reads a few rows of an index however many cases there are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table enquiry_topics (
      key text primary key check (key ~ '^[a-z0-9-]{1,64}$'),
      name jsonb not null,
      category text,
      agency_id text not null references organisations (id),
      default_agency_id text not null references organisations (id),
      position integer not null,
      updated_by text references users (id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table enquiry_settings (
      id boolean primary key default true check (id),
      limit_enquiry integer not null check (limit_enquiry between 1 and 60),
      limit_help integer not null check (limit_help between 1 and 60),
      limit_complaint integer not null check (limit_complaint between 1 and 60),
      extension_cap integer not null check (extension_cap between 0 and 120),
      warning_lead integer not null check (warning_lead between 0 and 20),
      purge_months integer not null check (purge_months between 1 and 120),
      updated_by text references users (id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table enquiries (
      id integer generated always as identity primary key,
      reference text not null unique,
      type text not null check (type in ('enquiry', 'help', 'complaint')),
      topic_key text not null references enquiry_topics (key),
      subject text,
      description text,
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      name text,
      email text,
      phone text,
      user_id text references users (id),
      agency_id text references organisations (id),
      side text not null check (side in ('hong-kong', 'zhejiang', 'other')),
      state text not null default 'open' check (state in ('open', 'awaiting-citizen', 'with-coordinators', 'closed')),
      received_on date not null,
      time_limit integer not null check (time_limit > 0),
      extension_days integer not null default 0 check (extension_days >= 0),
      paused_days integer not null default 0 check (paused_days >= 0),
      paused_since date,
      due_on date not null,
      refusals integer not null default 0 check (refusals >= 0),
      escalated_at timestamptz,
      closed_on date,
      closed_at timestamptz,
      outcome text check (outcome in ('answered', 'resolved', 'referred', 'not-substantiated', 'withdrawn')),
      working_days_taken integer check (working_days_taken >= 0),
      on_time boolean,
      satisfaction integer check (satisfaction between 1 and 5),
      satisfaction_comment text,
      rated_at timestamptz,
      purged_at timestamptz,
      version integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((state = 'closed') = (closed_on is not null and closed_at is not null and outcome is not null and on_time is not null and working_days_taken is not null)),
      check ((state = 'awaiting-citizen') = (paused_since is not null)),
      check ((state = 'with-coordinators') = (agency_id is null)),
      check ((satisfaction is null) = (rated_at is null)),
      check (purged_at is null or state = 'closed')
    )`.execute(db);
  await sql`create index enquiries_agency_queue on enquiries (agency_id, state, due_on, id)`.execute(db);
  await sql`create index enquiries_side_queue on enquiries (side, state, due_on, id)`.execute(db);
  // The default view of a queue: the open cases, however many closed ones there are.
  await sql`create index enquiries_agency_open on enquiries (agency_id, due_on, id) where state <> 'closed'`.execute(db);
  await sql`create index enquiries_side_open on enquiries (side, due_on, id) where state <> 'closed'`.execute(db);
  await sql`create index enquiries_with_coordinators on enquiries (due_on, id) where state = 'with-coordinators'`.execute(db);
  await sql`create index enquiries_open_due on enquiries (due_on) where state = 'open'`.execute(db);
  await sql`create index enquiries_user on enquiries (user_id, id) where user_id is not null`.execute(db);
  await sql`create index enquiries_received on enquiries (received_on)`.execute(db);
  await sql`create index enquiries_closed on enquiries (closed_on) where state = 'closed'`.execute(db);
  await sql`create index enquiries_to_purge on enquiries (closed_at) where state = 'closed' and purged_at is null`.execute(db);

  await sql`
    create table enquiry_events (
      id integer generated always as identity primary key,
      enquiry_id integer not null references enquiries (id) on delete cascade,
      kind text not null check (kind in ('received', 'reply', 'note', 'info-requested', 'citizen-reply', 'transferred', 'sent-to-coordinators', 'assigned', 'extended', 'escalated', 'closed', 'rated', 'purged')),
      actor text not null check (actor in ('citizen', 'officer', 'coordinator', 'system')),
      user_id text references users (id),
      organisation_id text references organisations (id),
      to_organisation_id text references organisations (id),
      body text,
      days integer,
      outcome text,
      visible_to_citizen boolean not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index enquiry_events_enquiry on enquiry_events (enquiry_id, id)`.execute(db);

  await sql`
    create table enquiry_attachments (
      enquiry_id integer not null references enquiries (id) on delete cascade,
      event_id integer not null references enquiry_events (id) on delete cascade,
      file_id text not null references files (id),
      primary key (event_id, file_id)
    )`.execute(db);
  await sql`create index enquiry_attachments_enquiry on enquiry_attachments (enquiry_id)`.execute(db);
  await sql`create index enquiry_attachments_file on enquiry_attachments (file_id)`.execute(db);

  await sql`
    create table enquiry_track_codes (
      id integer generated always as identity primary key,
      enquiry_id integer not null references enquiries (id) on delete cascade,
      code_hash text not null,
      salt text not null,
      expires_at timestamptz not null,
      attempts integer not null default 0 check (attempts >= 0),
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index enquiry_track_codes_enquiry on enquiry_track_codes (enquiry_id, created_at)`.execute(db);

  await sql`
    create table enquiry_track_sessions (
      token_hash text primary key,
      enquiry_id integer not null references enquiries (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index enquiry_track_sessions_expiry on enquiry_track_sessions (expires_at)`.execute(db);

  await sql`
    create table enquiry_digests (
      user_id text not null references users (id) on delete cascade,
      sent_on date not null,
      primary key (user_id, sent_on)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['enquiry_digests', 'enquiry_track_sessions', 'enquiry_track_codes', 'enquiry_attachments', 'enquiry_events', 'enquiries', 'enquiry_settings', 'enquiry_topics']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
