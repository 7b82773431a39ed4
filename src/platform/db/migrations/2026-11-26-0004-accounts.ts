import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisations (
      id text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      type text not null check (type in ('government-agency', 'custodian', 'statutory-body', 'enterprise', 'ngo',
        'school-or-university', 'hospital', 'law-firm', 'mediation-body', 'arbitration-body', 'chamber-or-association')),
      side text not null check (side in ('hong-kong', 'zhejiang', 'other')),
      parent_id text references organisations (id),
      name jsonb not null,
      abbreviation text,
      website text,
      email text,
      phone text,
      address jsonb not null default '{}',
      verified jsonb not null default '{}',
      note text,
      reference_sha256 text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index organisations_parent on organisations (parent_id)`.execute(db);

  await sql`
    create table users (
      id text primary key,
      email text not null,
      email_verified_at timestamptz,
      password_hash text,
      display_name text not null,
      locale text not null check (locale in ('zh-Hant', 'zh-Hans', 'en')),
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      oidc_issuer text,
      oidc_subject text,
      disabled_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (oidc_issuer, oidc_subject)
    )`.execute(db);
  await sql`create unique index users_email on users (lower(email))`.execute(db);

  await sql`
    create table user_roles (
      id integer generated always as identity primary key,
      user_id text not null references users (id) on delete cascade,
      role text not null check (role in ('resident', 'enterprise-representative', 'agency-officer', 'custodian-coordinator', 'administrator')),
      organisation_id text references organisations (id),
      granted_by text references users (id),
      granted_at timestamptz not null default now(),
      check ((role in ('agency-officer', 'custodian-coordinator')) <= (organisation_id is not null))
    )`.execute(db);
  await sql`create unique index user_roles_unique on user_roles (user_id, role, coalesce(organisation_id, ''))`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id text not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      second_factor_at timestamptz,
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await sql`
    create table user_tokens (
      id text primary key,
      purpose text not null check (purpose in ('verify-email', 'reset-password', 'change-email', 'invitation')),
      user_id text references users (id) on delete cascade,
      email text not null,
      payload jsonb not null default '{}',
      expires_at timestamptz not null,
      used_at timestamptz,
      created_by text references users (id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index user_tokens_user on user_tokens (user_id, purpose)`.execute(db);

  await sql`
    create table recovery_codes (
      user_id text not null references users (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['recovery_codes', 'user_tokens', 'sessions', 'user_roles', 'users', 'organisations']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
