import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Actor } from './audit/audit.ts';
import type { AuditSubjects } from './audit/subjects.ts';
import type { Db } from './db/index.ts';
import type { Assets } from './http/assets.ts';
import type { PageCache } from './http/pages.ts';
import type { PageContext } from './html/context.ts';
import type { Recurring } from './jobs/schedule.ts';
import type { RetentionEntry } from './retention.ts';
import type { JobHandlers } from './jobs/worker.ts';

/** What a module's routes get from the running app. */
export interface AppContext {
  config: Config;
  db: Db;
  assets: Assets;
  /** Rendered pages and API answers for visitors who are not signed in. */
  pages: PageCache;
  /** The current instant (a test may fix the clock). */
  now(): Date;
  /** Today's date in the configured time zone, 'YYYY-MM-DD'. */
  today(): string;
  /** Drops every cached read model and page (after a write made outside a request, e.g. by a command). */
  invalidate(): void;
  onInvalidate(listener: () => void): void;
  /** Sections other modules add to a commitment's page (implementation, events, suggestions …). */
  commitmentSections: CommitmentSection[];
  /** Every module's audit subjects: who may see the audit entries of which records. */
  auditSubjects: AuditSubjects;
}

/** Where a commitment's page can be extended: its key in the agreement. */
export interface CommitmentRef {
  agreementId: string;
  areaNumber: number;
  number: number;
}

/**
 * A section a module adds to a commitment's page. `load` returns what the section shows and a stamp
 * that changes whenever it does: the page is cached for anonymous visitors under the stamps of all
 * its sections.
 */
export interface CommitmentSection {
  load(commitment: CommitmentRef, page: PageContext): Promise<{ stamp: string; render(): preact.VNode | null }>;
}

/** What a command gets. `print` goes to the terminal of whoever ran it. */
export interface CommandContext {
  config: Config;
  db: Db;
  /** Who the audit trail records for what the command changes. */
  actor: Actor;
  print(line: string): void;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(ctx: CommandContext, args: string[]): Promise<void>;
}

/** A module registers itself with one manifest (modules/index.ts lists them in order). */
export interface ModuleManifest {
  name: string;
  routes?(app: FastifyInstance, ctx: AppContext): void;
  /** Loads the reference data the platform cannot run without (idempotent). */
  seed?(ctx: CommandContext): Promise<void>;
  /** Adds illustrative demo data (`zjhk seed --demo`). */
  demo?(ctx: CommandContext): Promise<void>;
  commands?: Command[];
  /**
   * Per entity type the module writes to the audit trail whose records carry or point at personal
   * data: which of them a person may see there (the audit page shows only those entries).
   */
  auditSubjects?: AuditSubjects;
  /** Job handlers and recurring jobs the worker runs (in `zjhk serve`). */
  jobs?(config: Config): { handlers: JobHandlers; recurring?: Recurring[] };
  /** The module's tables in the account of personal data: what each holds, when it goes, what purges it. */
  retention?: RetentionEntry[];
}

/** A mistake in how a command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A command that ran but found a problem (e.g. a broken audit chain): printed as one line, exit code 1. */
export class CommandError extends Error {}
