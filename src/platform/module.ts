import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Config } from '../config.ts';
import type { ModuleMatrix } from './access-matrix.ts';
import type { Actor } from './audit/audit.ts';
import type { AuditSubjects } from './audit/subjects.ts';
import { mayReach, type Policy, registerPolicy, type RouteAction } from './auth/authorize.ts';
import type { Db } from './db/index.ts';
import type { Assets } from './http/assets.ts';
import type { PageCache } from './http/pages.ts';
import type { Principal } from './auth/roles.ts';
import type { PageContext } from './html/context.ts';
import { type CountMessageKey, type MessageKey, type ModuleMessages, registerMessages } from './i18n/messages.ts';
import type { IndicatorCountSource } from './indicator-counts.ts';
import type { Recurring } from './jobs/schedule.ts';
import type { RetentionEntry } from './retention.ts';
import type { JobHandlers } from './jobs/worker.ts';

/**
 * The app as a module's routes are registered on it: the TypeBox type provider types each route's
 * request (params, query string, body) from its schemas, with no generics restated by hand.
 */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

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
  /** The modules the app is made of, in order: hubs read their links from them. */
  modules: readonly ModuleManifest[];
  /** The sections modules add to a commitment's page, in their order. */
  commitmentSections: readonly CommitmentSection[];
  /** Every module's audit subjects: who may see the audit entries of which records. */
  auditSubjects: AuditSubjects;
}

/** Where a commitment's page can be extended: its key in the agreement. */
interface CommitmentRef {
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
  /** Where it sorts among the sections of every module (lower first). */
  order: number;
  load(commitment: CommitmentRef, page: PageContext): Promise<{ stamp: string; render(): preact.VNode | null }>;
}

/** What a command gets. `print` goes to the terminal of whoever ran it. */
export interface CommandContext {
  config: Config;
  db: Db;
  /** Who the audit trail records for what the command changes. */
  actor: Actor;
  /** The current instant, as the server's clock has it (CLOCK_START's, or the real one). */
  now(): Date;
  print(line: string): void;
  /** The modules the platform is made of, for a command that reads what other modules offer (e.g. the counts of indicators). */
  modules?: readonly ModuleManifest[];
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(ctx: CommandContext, args: string[]): Promise<void>;
}

/** A link a module adds to the site's navigation or to a hub page (admin, workspace). */
export interface ModuleLink {
  /** The label's message key. */
  label: MessageKey;
  /** The path below the language prefix. */
  path: string;
  /** Shown only to a principal this action allows; absent: shown to everyone. */
  action?: RouteAction;
  /** Where it sorts among every module's links (lower first). */
  order: number;
}

/** The site-wide links of every module, in order: the main navigation and the footer's. */
export interface Navigation {
  main: readonly ModuleLink[];
  footer: readonly ModuleLink[];
}

/** The site-wide links the manifests declare. */
export function navigationOf(manifests: readonly ModuleManifest[]): Navigation {
  return { main: linksOf(manifests, 'nav'), footer: linksOf(manifests, 'footer') };
}

/** A group of the OpenAPI document's operations. */
interface OpenApiTag {
  name: string;
  description: string;
}

/**
 * A module registers itself with one manifest; the composition root lists the manifests in order.
 * Everything a module adds to the whole is declared here, and the platform reads these lists: no
 * central file names a module.
 */
export interface ModuleManifest {
  name: string;
  /** Its messages in the three languages (their keys typed by declaration merging in its messages.ts). */
  messages?: ModuleMessages;
  /** Its actions and who may perform them (their names and resources typed by declaration merging in its policy.ts). */
  policy?: Policy;
  /** Entries of the site's main navigation: public ones, and staff ones shown to those their action allows. */
  nav?: ModuleLink[];
  /** Links in the footer of every page (statements, documentation). */
  footer?: ModuleLink[];
  /** Links on the administration hub (/admin). */
  adminLinks?: ModuleLink[];
  /** Tiles on the workspace hub (/workspace). */
  workspaceTiles?: ModuleLink[];
  /** The section the module adds to every commitment's page. */
  commitmentSection?(ctx: AppContext): CommitmentSection;
  /** Tags of its operations in the OpenAPI document. */
  openApiTags?: OpenApiTag[];
  /** The datasets it publishes as open data (a JSON list each), listed on the API's page. */
  openData?: ModuleLink[];
  routes?(app: App, ctx: AppContext): void;
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
  /** What it counts for results indicators that take their actuals from records held on the platform. */
  indicatorCounts?: IndicatorCountSource[];
  /** The kinds of things it puts in a member of staff's inbox on the workspace hub. */
  inbox?: InboxKind[];
  /** Its lines of the route × role matrix (loaded only by the test). */
  matrix?(): Promise<ModuleMatrix>;
}

/** Things of one kind waiting for a member of staff (cases to answer, updates to decide …). */
export interface InboxKind {
  /** The label with the number waiting (a message taking { n }). */
  label: CountMessageKey;
  /** Where they are dealt with. */
  path: string;
  /** Who has such things at all: the count is asked only of those this action allows. */
  action: RouteAction;
  /** Where it sorts among every module's kinds (lower first). */
  order: number;
  /** How many wait for this person now. */
  count(ctx: AppContext, principal: Principal): Promise<number>;
}

/** What waits for a member of staff, kind by kind (only kinds with something waiting), in order. */
export async function inboxOf(ctx: AppContext, page: PageContext): Promise<{ href: string; label: string; count: number }[]> {
  const principal = page.principal;
  if (!principal) return [];
  const kinds = ctx.modules
    .flatMap((m) => m.inbox ?? [])
    .filter((kind) => mayReach(principal, kind.action))
    .sort((a, b) => a.order - b.order);
  const counts = await Promise.all(kinds.map((kind) => kind.count(ctx, principal)));
  return kinds.flatMap((kind, i) => {
    const count = counts[i] ?? 0;
    return count > 0 ? [{ href: page.href(kind.path), label: page.t(kind.label, { n: count }), count }] : [];
  });
}

const installed = new WeakSet<ModuleManifest>();

/**
 * Registers what the manifests declare that the whole process shares: messages and policies. The
 * composition root calls it once with every manifest; calling it again with the same ones is harmless.
 */
export function installModules(manifests: readonly ModuleManifest[]): void {
  for (const manifest of manifests) {
    if (installed.has(manifest)) continue;
    installed.add(manifest);
    if (manifest.messages) registerMessages(manifest.messages);
    if (manifest.policy) registerPolicy(manifest.policy);
  }
}

/** The links of every module for one place, in order. */
export function linksOf(manifests: readonly ModuleManifest[], place: 'nav' | 'footer' | 'adminLinks' | 'workspaceTiles' | 'openData'): ModuleLink[] {
  return manifests.flatMap((m) => m[place] ?? []).sort((a, b) => a.order - b.order);
}

/** The links of one place that a principal may use, labelled and addressed for a page. */
export function visibleLinks(ctx: AppContext, place: 'adminLinks' | 'workspaceTiles', page: PageContext): { href: string; label: string }[] {
  return linksOf(ctx.modules, place)
    .filter((link) => link.action === undefined || mayReach(page.principal, link.action))
    .map((link) => ({ href: page.href(link.path), label: page.t(link.label) }));
}

/**
 * One instance per running app of something a module builds from its context (a read model): its
 * routes, its commitment section and its jobs share it.
 */
export function perApp<T>(build: (ctx: AppContext) => T): (ctx: AppContext) => T {
  const instances = new WeakMap<AppContext, T>();
  return (ctx) => {
    let instance = instances.get(ctx);
    if (instance === undefined) {
      instance = build(ctx);
      instances.set(ctx, instance);
    }
    return instance;
  };
}

/** A mistake in how a command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A command that ran but found a problem (e.g. a broken audit chain): printed as one line, exit code 1. */
export class CommandError extends Error {}
