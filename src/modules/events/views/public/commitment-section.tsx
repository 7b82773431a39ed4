import type { EventType } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import { feedPath, webcalUrl } from '../../feeds.ts';
import type { CalendarItem, HeldItem } from '../../queries/calendar.ts';
import { commitmentCode, type CommitmentInfo } from '../../../agreements/index.ts';
import { cityName, type Lookups, occurrencePath, typeName, When } from '../parts.tsx';
import { calendarPath, colon, ListItem } from './parts.tsx';

/** "Events" on a commitment's page: the next dates, and those held with their attendance and report (the evidence). */
export function CommitmentEventsSection({
  ctx,
  lookups,
  commitment,
  upcoming,
  held,
  organisers,
  publicUrl,
}: {
  ctx: PageContext;
  lookups: Lookups;
  commitment: CommitmentInfo;
  upcoming: CalendarItem[];
  held: HeldItem[];
  organisers: Map<number, string[]>;
  publicUrl: string;
}) {
  const { t } = ctx;
  const code = commitmentCode(commitment);
  const feed = feedPath(ctx.locale, { commitment: code });
  return (
    <section aria-labelledby="events" class="events">
      <h2 id="events">{t('events.calendar.section.title')}</h2>
      <p>{t('events.calendar.section.intro')}</p>
      {upcoming.length > 0 && (
        <>
          <h3>{t('events.calendar.section.upcoming')}</h3>
          <ol class="updates">
            {upcoming.map((item) => (
              <ListItem ctx={ctx} lookups={lookups} item={item} organisers={organisers.get(item.eventId) ?? []} heading="h4" />
            ))}
          </ol>
        </>
      )}
      {held.length > 0 && (
        <>
          <h3>{t('events.calendar.section.held')}</h3>
          <ol class="updates">
            {held.map((item) => (
              <li>
                <h4>
                  <a href={ctx.href(occurrencePath(item.reference, item.slot))}>
                    <Localized ctx={ctx} text={item.title} />
                  </a>
                </h4>
                <p class="meta">
                  <When ctx={ctx} startsAt={item.startsAt} endsAt={item.endsAt} timeZone={item.timeZone} /> · {typeName(ctx, item.type as EventType)} · {cityName(ctx, item.city)}
                </p>
                <p class="evidence">{item.attendance !== null ? t('events.calendar.occurrence.attendance', { n: item.attendance }) : t('events.calendar.occurrence.notReported')}</p>
                {ctx.text(item.report) && <LocalizedBlock ctx={ctx} text={item.report} />}
              </li>
            ))}
          </ol>
        </>
      )}
      <ul class="actions">
        <li>
          <a href={ctx.href(calendarPath({ commitment: code }))}>{t('events.calendar.section.calendar')}</a>
        </li>
        <li>
          <a href={ctx.href(calendarPath({ commitment: code }, { when: 'past' }))}>{t('events.calendar.section.past')}</a>
        </li>
        <li>
          {t('events.calendar.section.feed')}
          {colon(ctx)}
          <a href={webcalUrl(publicUrl, feed)}>{t('events.calendar.feeds.subscribe')}</a> · <a href={`${publicUrl.replace(/\/+$/, '')}${feed}`}>{t('events.calendar.feeds.address')}</a>
        </li>
      </ul>
    </section>
  );
}
