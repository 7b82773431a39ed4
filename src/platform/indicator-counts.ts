/**
 * Counts a module offers to results indicators. An indicator may take its actuals from records held
 * on the platform instead of from progress updates: the dates of events held for its commitment, the
 * placements made under a programme, the filings made… The module that keeps those records declares
 * a source in its manifest (`indicatorCounts`); the module that keeps indicators asks every source
 * for its counts and never names the modules behind them.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import type { MessageKeyWith, PlainMessageKey } from './i18n/messages.ts';

/** One thing a source can count, e.g. events of one type, or of any. */
interface IndicatorCountChoice {
  /** Stored with the indicator, after the source's kind ('events:promotion'): never renamed. */
  value: string;
  /** Its name on the form and beside a counted actual. */
  label: PlainMessageKey;
}

/** What a period counted: all the records, and those of each side (a record of both sides counts for each). */
export interface SideCounts {
  total: number;
  hongKong: number;
  zhejiang: number;
}

/** One period of one indicator to count. */
export interface IndicatorCountRequest {
  indicatorId: number;
  periodId: number;
  /** The commitment whose records count. */
  commitmentId: number;
  /** Which of the source's choices the indicator counts. */
  choice: string;
  /** The period's first and last days, 'YYYY-MM-DD', in the platform's time zone. */
  startsOn: string;
  endsOn: string;
}

/** What a source counted at an instant. */
export interface IndicatorCountResult {
  /** By period id, for every period asked about: the records counted by that instant (zeros where none). */
  periods: Map<number, SideCounts>;
  /** When a count asked about changes next by itself (a record counted starts then); null if none will. */
  nextChange: Date | null;
}

/** A kind of record a module counts for indicators, declared in its manifest. */
export interface IndicatorCountSource {
  /** Stable: stored with every indicator it counts ('events'), never renamed. */
  kind: string;
  /** What an indicator may count, in the order the form offers them. */
  choices: readonly IndicatorCountChoice[];
  /** On the indicator form: the group of its choices ("Actuals come from events held on this platform"). */
  label: PlainMessageKey;
  /** On the indicator form: what a period's actual then is. */
  hint: PlainMessageKey;
  /** The mark of an indicator it counts, on its pages and in reports ("Counted from events"). */
  badge: PlainMessageKey;
  /** What the actuals are, beside them; `kind` is the label of the choice. */
  note: MessageKeyWith<{ kind: string }>;
  /** The text of the link to the records counted. */
  recordsLink: PlainMessageKey;
  /** In a progress update, instead of a field for the figure; `name` names the indicator and period. */
  noFigure: MessageKeyWith<{ name: string }>;
  /**
   * Counts, for each period asked about, the records of the indicator's commitment and choice that
   * started within the period's days (in `timeZone`) and by `now`. One query for all of them.
   */
  count(db: Kysely<Database>, requests: readonly IndicatorCountRequest[], at: { now: Date; timeZone: string }): Promise<IndicatorCountResult>;
  /** The page listing the records a choice counts for a commitment ('3-1'), below the language prefix. */
  recordsPath(commitmentCode: string, choice: string): string;
}

/** The sources the modules declare, in the modules' order; a kind declared twice is refused. */
export function indicatorCountSources(modules: readonly { indicatorCounts?: readonly IndicatorCountSource[] | undefined }[]): IndicatorCountSource[] {
  const sources = modules.flatMap((m) => m.indicatorCounts ?? []);
  const kinds = new Set<string>();
  for (const source of sources) {
    if (kinds.has(source.kind)) throw new Error(`The indicator count source ${source.kind} is declared twice`);
    kinds.add(source.kind);
  }
  return sources;
}
