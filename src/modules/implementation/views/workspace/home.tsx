import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized } from '../../../../platform/html/localized.tsx';
import { milestoneTiming } from '../../progress.ts';
import type { Action } from '../../queries/actions.ts';
import type { Milestone } from '../../queries/milestones.ts';
import type { ProgressUpdate } from '../../queries/updates.ts';
import { MilestoneBadge, orgName, type Organisations, Section, StatusBadge } from '../parts.tsx';
import { stateKey } from './shared.ts';

function UpdateRows({ ctx, updates, organisations, actionTitles }: { ctx: PageContext; updates: ProgressUpdate[]; organisations: Organisations; actionTitles: Map<number, Action['title']> }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{ctx.t('impl.reference')}</th>
          <th scope="col">{ctx.t('impl.update.action')}</th>
          <th scope="col">{ctx.t('impl.update.agency')}</th>
          <th scope="col">{ctx.t('impl.update.state')}</th>
        </tr>
      </thead>
      <tbody>
        {updates.map((u) => (
          <tr>
            <th scope="row">
              <a href={ctx.href(`/workspace/updates/${u.id}`)}>{u.reference}</a>
            </th>
            <td>
              <Localized ctx={ctx} text={actionTitles.get(u.actionId)} />
            </td>
            <td>{orgName(ctx, organisations, u.organisationId)}</td>
            <td>{ctx.t(stateKey(u.state))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The officer's home: their agencies' actions, milestones due or overdue, and updates waiting for them. */
export function WorkspaceHome({
  ctx,
  actions,
  actionTitles,
  milestones,
  mine,
  toDecide,
  organisations,
  today,
  links,
  inbox,
}: {
  ctx: PageContext;
  actions: (Action & { effectiveStatus: Action['status'] })[];
  /** Titles of the actions the listed updates are about (other agencies' too, for coordinators). */
  actionTitles: Map<number, Action['title']>;
  milestones: (Milestone & { actionTitle: Action['title'] })[];
  mine: ProgressUpdate[];
  toDecide: ProgressUpdate[];
  organisations: Organisations;
  today: string;
  links: { href: string; label: string }[];
  /** What waits for this person in every module, kind by kind. */
  inbox: { href: string; label: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.workspace.title')} breadcrumbs={[{ label: t('impl.workspace.title') }]}>
      <h1>{t('impl.workspace.title')}</h1>
      {inbox.length > 0 && (
        <Section id="inbox" title={t('impl.workspace.inbox')}>
          <ul class="link-list">
            {inbox.map((item) => (
              <li>
                <a href={item.href}>{item.label}</a>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {links.length > 0 && (
        <ul class="link-list">
          {links.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>
            </li>
          ))}
        </ul>
      )}
      <Section id="to-decide" title={t('impl.workspace.toDecide')}>
        {toDecide.length ? <UpdateRows ctx={ctx} updates={toDecide} organisations={organisations} actionTitles={actionTitles} /> : <p>{t('impl.workspace.nothingToDecide')}</p>}
      </Section>
      <Section id="my-updates" title={t('impl.workspace.myUpdates')}>
        {mine.length ? <UpdateRows ctx={ctx} updates={mine} organisations={organisations} actionTitles={actionTitles} /> : <p>{t('impl.workspace.noUpdates')}</p>}
      </Section>
      <Section id="milestones" title={t('impl.workspace.milestones')}>
        {milestones.length === 0 ? (
          <p>{t('impl.workspace.noMilestones')}</p>
        ) : (
          <ul>
            {milestones.map((m) => (
              <li>
                <time datetime={m.dueOn}>{ctx.date(m.dueOn)}</time> <MilestoneBadge ctx={ctx} status={m.status} overdue={milestoneTiming(m, today) === 'overdue'} />{' '}
                <Localized ctx={ctx} text={m.title} /> —{' '}
                <a href={ctx.href(`/workspace/actions/${m.actionId}`)}>
                  <Localized ctx={ctx} text={m.actionTitle} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="my-actions" title={t('impl.workspace.myActions')}>
        {actions.length === 0 ? (
          <p>{t('impl.workspace.noActions')}</p>
        ) : (
          <ul class="action-list">
            {actions.map((a) => (
              <li>
                <a href={ctx.href(`/workspace/actions/${a.id}`)}>
                  <Localized ctx={ctx} text={a.title} />
                </a>{' '}
                <StatusBadge ctx={ctx} status={a.effectiveStatus} />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </Layout>
  );
}
