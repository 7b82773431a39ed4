import type { PageContext } from '../../../platform/html/context.ts';
import type { SuggestionState } from '../tables.ts';
import { LOCALE_INFO, type Locale, type LocalizedText } from '../../../platform/i18n/locales.ts';
import { todayIn } from '../../../platform/clock.ts';
import { Localized, LocalizedBlock } from '../../../platform/html/localized.tsx';
import type { Organisation } from '../../organisations/index.ts';
import { topicName } from '../topics.ts';
import { type AreaInfo, areaName, type CommitmentInfo, commitmentLabel, commitmentOptionLabel, commitmentPath } from '../../agreements/index.ts';

export type Organisations = Map<string, Organisation>;
export const suggestionPath = (reference: string) => `/suggestions/${reference}`;

/** What page templates need besides the page context: lookups and the platform's time zone. */
export interface Lookups {
  commitments: CommitmentInfo[];
  areas: AreaInfo[];
  organisations: Organisations;
  timeZone: string;
}

/** A moment as the day it was in the platform's time zone, written as the language writes dates. */
export function day(ctx: PageContext, lookups: Pick<Lookups, 'timeZone'>, at: Date): string {
  return ctx.date(todayIn(lookups.timeZone, at));
}

const BADGE: Record<SuggestionState, string> = {
  received: 'badge',
  published: 'badge status-in-progress',
  responded: 'badge status-completed',
  rejected: 'badge status-discontinued',
  merged: 'badge status-discontinued',
};

export function StateBadge({ ctx, state }: { ctx: PageContext; state: SuggestionState }) {
  return <span class={BADGE[state]}>{ctx.t(`suggestions.state.${state}`)}</span>;
}

/** What a suggestion is about: its topic, or its commitment (linked to the commitment's page). */
export function Subject({
  ctx,
  lookups,
  topic,
  commitmentId,
  link = true,
}: {
  ctx: PageContext;
  lookups: Pick<Lookups, 'commitments' | 'areas'>;
  topic: string | null;
  commitmentId: number | null;
  link?: boolean;
}) {
  if (topic) return <>{topicName(ctx, topic)}</>;
  const c = lookups.commitments.find((x) => x.id === commitmentId);
  if (!c) return null;
  const name = commitmentLabel(ctx, lookups.areas, c);
  return link ? <a href={ctx.href(commitmentPath(c))}>{name}</a> : name;
}

/** The organisations that may be named to respond: the agencies of the two sides. */
export const isAgency = (o: Organisation) => o.side === 'hong-kong' || o.side === 'zhejiang';

export function orgName(ctx: PageContext, organisations: Organisations, id: string | null): string {
  if (!id) return '—';
  const o = organisations.get(id);
  return o ? ctx.text(o.name) : id;
}

/** A text written in one language, shown with its language (and converted between the Chinese scripts, marked so). */
export function Written({ ctx, language, text, block = false }: { ctx: PageContext; language: Locale; text: string | null; block?: boolean }) {
  const value: LocalizedText = text ? { [language]: text } : {};
  return block ? <LocalizedBlock ctx={ctx} text={value} /> : <Localized ctx={ctx} text={value} />;
}

/** A text exactly as its author wrote it (no conversion), its blank lines kept as paragraphs. */
export function AsWritten({ language, title, text }: { language: Locale; title: string; text: string }) {
  return (
    <div lang={LOCALE_INFO[language].htmlLang}>
      <p>
        <strong>{title}</strong>
      </p>
      {text
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => (
          <p>{p}</p>
        ))}
    </div>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** The commitments of the agreement grouped by area, for a select; `value` makes each option's value. */
export function commitmentGroups(ctx: PageContext, lookups: Pick<Lookups, 'commitments' | 'areas'>, value: (c: CommitmentInfo) => string): { label: string; options: Option[] }[] {
  return lookups.areas.map((area) => ({
    label: areaName(ctx, area),
    options: lookups.commitments.filter((c) => c.agreementId === area.agreementId && c.areaNumber === area.number).map((c) => ({ value: value(c), label: commitmentOptionLabel(ctx, c) })),
  }));
}

/** Previous and next links of a paged list, and where in it the visitor is. */
export function Pager({ ctx, page, pages, href, label }: { ctx: PageContext; page: number; pages: number; href: (page: number) => string; label: string }) {
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={label}>
      {page > 1 && (
        <a rel="prev" href={href(page - 1)}>
          ← {ctx.t('suggestions.pager.previous')}
        </a>
      )}
      <span>{ctx.t('suggestions.pager.position', { page, pages })}</span>
      {page < pages && (
        <a rel="next" href={href(page + 1)}>
          {ctx.t('suggestions.pager.next')} →
        </a>
      )}
    </nav>
  );
}

/** A query string of the filters that are set, for links that keep them. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams(
    Object.entries(values)
      .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  const text = params.toString();
  return text ? `?${text}` : '';
}
