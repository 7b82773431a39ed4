import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../../platform/html/localized.tsx';
import { type AreaInfo, commitmentCode, commitmentLabel, type CommitmentKey, commitmentPath } from '../../../agreements/index.ts';
import type { Action } from '../../queries/actions.ts';
import type { Meeting } from '../../queries/meetings.ts';
import { Illustrative, meetingPath, orgName, type Organisations, Section } from '../parts.tsx';

export function MeetingsPage({ ctx, meetings }: { ctx: PageContext; meetings: Meeting[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.meetings')} breadcrumbs={[{ label: t('impl.meetings') }]}>
      <h1>{t('impl.meetings')}</h1>
      {meetings.length === 0 ? (
        <p>{t('impl.meetings.none')}</p>
      ) : (
        <ul class="meetings">
          {meetings.map((m) => (
            <li>
              <a href={ctx.href(meetingPath(m.id))}>
                <Localized ctx={ctx} text={m.title} />
              </a>{' '}
              <Illustrative ctx={ctx} show={m.illustrative} />
              <p class="meta">
                {t(`impl.meeting.type.${m.type}`)} · <time datetime={m.heldOn}>{ctx.date(m.heldOn)}</time>
                {Object.keys(m.place).length > 0 && (
                  <>
                    {' · '}
                    <Localized ctx={ctx} text={m.place} />
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function MeetingPage({
  ctx,
  meeting,
  organisations,
  commitments,
  areas,
  actionsByDecision,
  canCreateActions,
}: {
  ctx: PageContext;
  meeting: Meeting;
  organisations: Organisations;
  commitments: CommitmentKey[];
  areas: AreaInfo[];
  actionsByDecision: Map<number, Action[]>;
  canCreateActions: boolean;
}) {
  const { t } = ctx;
  const title = ctx.text(meeting.title);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.meetings'), href: ctx.href('/meetings') }, { label: title }]}>
      <h1>
        <Localized ctx={ctx} text={meeting.title} />
      </h1>
      <p>
        <Illustrative ctx={ctx} show={meeting.illustrative} />
      </p>
      <dl class="facts">
        <dt>{t('impl.reference')}</dt>
        <dd>{meeting.reference}</dd>
        <dt>{t('impl.meeting.type')}</dt>
        <dd>{t(`impl.meeting.type.${meeting.type}`)}</dd>
        <dt>{t('impl.meeting.heldOn')}</dt>
        <dd>
          {ctx.date(meeting.heldOn)}
          {Object.keys(meeting.place).length > 0 && (
            <>
              {', '}
              <Localized ctx={ctx} text={meeting.place} />
            </>
          )}
        </dd>
        <dt>{t('impl.meeting.participants')}</dt>
        <dd>{meeting.participants.map((p) => orgName(ctx, organisations, p)).join(ctx.locale === 'en' ? '; ' : '；') || '–'}</dd>
      </dl>
      <p>
        <a href={ctx.href(`/reports/meetings/${meeting.id}`)}>{t('impl.meeting.progressReport')}</a>
      </p>
      <Section id="minutes" title={t('impl.meeting.minutes')}>
        {Object.keys(meeting.minutes).length ? <LocalizedBlock ctx={ctx} text={meeting.minutes} /> : <p>{t('impl.meeting.noMinutes')}</p>}
      </Section>
      <Section id="decisions" title={t('impl.meeting.decisions')}>
        {meeting.decisions.length === 0 ? (
          <p>{t('impl.meeting.noDecisions')}</p>
        ) : (
          <ol class="decisions">
            {meeting.decisions.map((d) => {
              const c = d.commitmentId === null ? undefined : commitments.find((k) => k.id === d.commitmentId);
              const actions = actionsByDecision.get(d.id) ?? [];
              return (
                <li value={d.number}>
                  <Localized ctx={ctx} text={d.text} />
                  {c && (
                    <p class="meta">
                      <a href={ctx.href(commitmentPath(c))}>{commitmentLabel(ctx, areas, c)}</a>
                    </p>
                  )}
                  {actions.length > 0 && (
                    <p>
                      {t('impl.meeting.actionsCreated')}:{' '}
                      {actions.map((a, i) => (
                        <>
                          {i > 0 && '; '}
                          <a href={ctx.href(`/implementation/actions/${a.id}`)}>
                            <Localized ctx={ctx} text={a.title} />
                          </a>
                        </>
                      ))}
                    </p>
                  )}
                  {canCreateActions && c && (
                    <p>
                      <a href={ctx.href(`/workspace/commitments/${commitmentCode(c)}/actions/new?decision=${d.id}`)}>{t('impl.meeting.createAction')}</a>
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </Section>
    </Layout>
  );
}
