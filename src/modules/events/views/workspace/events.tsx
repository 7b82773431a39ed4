import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized } from '../../../../platform/html/localized.tsx';
import type { EventRecord, EventSummary } from '../../queries/events.ts';
import { organisationName, type Organisations, typeName, When, workspaceEventPath } from '../parts.tsx';
import { EventStatusBadge, WORKSPACE } from './parts.tsx';

/** The events a person may manage, with status, next date and registrations, and the way to a new one. */
export function EventsWorkspacePage({ ctx, events, summaries, organisations }: { ctx: PageContext; events: EventRecord[]; summaries: Map<number, EventSummary>; organisations: Organisations }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('events.workspace.title')} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('events.workspace.title') }]}>
      <h1>{t('events.workspace.title')}</h1>
      <p>
        <a class="button" href={ctx.href(`${WORKSPACE}/new`)}>
          {t('events.authoring.new')}
        </a>
      </p>
      {events.length === 0 ? (
        <p>{t('events.authoring.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('events.authoring.list.event')}</th>
              <th scope="col">{t('events.authoring.list.status')}</th>
              <th scope="col">{t('events.authoring.list.next')}</th>
              <th scope="col" class="num">
                {t('events.authoring.list.registrations')}
              </th>
              <th scope="col">{t('events.authoring.list.organisers')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const s = summaries.get(e.id);
              return (
                <tr>
                  <th scope="row">
                    <a href={ctx.href(workspaceEventPath(e.reference))}>
                      <Localized ctx={ctx} text={e.title} />
                    </a>
                    <br />
                    <small>
                      {e.reference} · {typeName(ctx, e.type)}
                    </small>
                  </th>
                  <td>
                    <EventStatusBadge ctx={ctx} status={e.status} />
                  </td>
                  <td>{s?.next ? <When ctx={ctx} startsAt={s.next.startsAt} endsAt={s.next.endsAt} timeZone={e.timeZone} /> : t('events.authoring.list.noNext')}</td>
                  <td class="num">{s?.registrations ?? 0}</td>
                  <td>{e.organisers.map((o) => organisationName(ctx, organisations, o)).join(ctx.locale === 'en' ? ', ' : '、')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
