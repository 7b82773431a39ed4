// What the organisers' pages of one date share: its registrations, the door, the report.
import type { EventQuestion, RegistrationState } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { LOCALE_INFO } from '../../../../platform/i18n/locales.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import { When, workspaceEventPath, workspaceOccurrencePath } from '../parts.tsx';

/** The states in the order an organiser reads them: who comes first, then who waits, then who does not. */
export const STATE_ORDER: readonly RegistrationState[] = ['confirmed', 'attended', 'pending', 'waitlisted', 'cancelled', 'rejected'];

const formats = new Map<string, Intl.DateTimeFormat>();
function format(ctx: Pick<PageContext, 'locale'>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${ctx.locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE_INFO[ctx.locale].intl, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

/** "15 Jan 2027, 14:32": an instant in the event's zone, as the language writes it. */
export function instantText(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx, timeZone, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(at);
}

/** "15 January 2027": the day of an instant in the event's zone. */
export function dayText(ctx: Pick<PageContext, 'locale'>, at: Date, timeZone: string): string {
  return format(ctx, timeZone, { dateStyle: 'long' }).format(at);
}

/** An answer to a custom question as the organiser reads it: the text, Yes/No, or the option chosen, in the page's language. */
export function answerText(ctx: Pick<PageContext, 't' | 'text'>, q: EventQuestion, value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (q.kind === 'yes-no') return value === 'yes' ? ctx.t('events.register.yes') : value === 'no' ? ctx.t('events.register.no') : value;
  if (q.kind === 'choice') {
    const option = q.options?.[Number(value)];
    return option ? ctx.text(option) : value;
  }
  return value;
}

export const crumbs = (ctx: PageContext, event: EventRecord, occurrence: Occurrence, here: string) => [
  { label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') },
  { label: ctx.t('events.workspace.title'), href: ctx.href('/workspace/events') },
  { label: ctx.text(event.title), href: ctx.href(workspaceEventPath(event.reference)) },
  { label: ctx.date(occurrence.slot), href: ctx.href(workspaceOccurrencePath(event.reference, occurrence.slot)) },
  { label: here },
];

/** The ways between the organiser's pages of one date. */
export function DateLinks({ ctx, event, occurrence, here }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence; here: 'registrations' | 'check-in' | 'report' }) {
  const base = workspaceOccurrencePath(event.reference, occurrence.slot);
  const links = [
    ...(event.registration === 'platform'
      ? [
          { key: 'registrations', label: ctx.t('events.attendance.links.registrations'), href: `${base}/registrations` },
          { key: 'check-in', label: ctx.t('events.attendance.links.checkIn'), href: `${base}/check-in` },
        ]
      : []),
    { key: 'report', label: ctx.t('events.attendance.links.report'), href: `${base}/report` },
    { key: 'date', label: ctx.t('events.attendance.links.date'), href: base },
  ].filter((l) => l.key !== here);
  return (
    <ul class="actions">
      {links.map((l) => (
        <li>
          <a href={ctx.href(l.href)}>{l.label}</a>
        </li>
      ))}
    </ul>
  );
}

export function DateLine({ ctx, event, occurrence }: { ctx: PageContext; event: EventRecord; occurrence: Occurrence }) {
  return (
    <p class="lead">
      <When ctx={ctx} startsAt={occurrence.startsAt} endsAt={occurrence.endsAt} timeZone={event.timeZone} />
      {occurrence.status === 'cancelled' && (
        <>
          {' '}
          <span class="badge status-discontinued">{ctx.t('events.attendance.cancelledDate')}</span>
        </>
      )}
    </p>
  );
}
