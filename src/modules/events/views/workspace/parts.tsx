// What the organisers' pages of events share.
import type { EventStatus, RegistrationState } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import type { Occurrence } from '../../queries/occurrences.ts';

type Counts = Record<RegistrationState, number>;

export const WORKSPACE = '/workspace/events';

const STATUS_BADGE: Record<EventStatus, string> = { draft: 'badge', published: 'badge status-completed', cancelled: 'badge status-discontinued' };

export function EventStatusBadge({ ctx, status }: { ctx: PageContext; status: EventStatus }) {
  return <span class={STATUS_BADGE[status]}>{ctx.t(`events.authoring.status.${status}`)}</span>;
}

export function OccurrenceStatus({ ctx, occurrence }: { ctx: PageContext; occurrence: Occurrence }) {
  return (
    <>
      {occurrence.status === 'cancelled' ? (
        <span class="badge status-discontinued">{ctx.t('events.authoring.occurrence.cancelled')}</span>
      ) : (
        <span class="badge">{ctx.t('events.authoring.occurrence.scheduled')}</span>
      )}
      {occurrence.modified && (
        <>
          {' '}
          <span class="badge status-in-progress">{ctx.t('events.authoring.occurrence.modified')}</span>
        </>
      )}
    </>
  );
}

export const crumbs = (ctx: PageContext, ...rest: { label: string; href?: string }[]) => [
  { label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') },
  { label: ctx.t('events.workspace.title'), href: ctx.href(WORKSPACE) },
  ...rest,
];

/** The registrations of a date per state, the states with none left out. */
export function CountsText({ ctx, counts }: { ctx: PageContext; counts: Counts | undefined }) {
  const order: RegistrationState[] = ['confirmed', 'attended', 'waitlisted', 'pending', 'cancelled', 'rejected'];
  const parts = order.filter((s) => (counts?.[s] ?? 0) > 0).map((s) => `${ctx.t(`events.registration.state.${s}`)} ${counts?.[s]}`);
  return <>{parts.length ? parts.join(' · ') : ctx.t('events.authoring.noRegistrations')}</>;
}
