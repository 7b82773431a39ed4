import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import type { MessageKey } from '../../../platform/i18n/messages.ts';
import { LocalizedBlock } from '../../../platform/html/localized.tsx';
import type { MergeTarget, Suggestion } from '../queries.ts';
import type { QueueView } from '../schemas.ts';
import { AsWritten, day, isAgency, type Lookups, orgName, Pager, queryString, StateBadge, Subject, suggestionPath, Written } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;

const workspaceCrumbs = (ctx: PageContext, here?: string) => [
  { label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') },
  { label: ctx.t('suggestions.queue.title'), href: ctx.href('/workspace/suggestions') },
  ...(here ? [{ label: here }] : []),
];

/** The queue: received suggestions first for coordinators; an officer's agency's suggestions to respond to. */
export function QueuePage({
  ctx,
  lookups,
  views,
  view,
  rows,
  total,
  page,
  pages,
  canModerate,
}: {
  ctx: PageContext;
  lookups: Lookups;
  views: { view: QueueView; count: number }[];
  view: QueueView;
  rows: Suggestion[];
  total: number;
  page: number;
  pages: number;
  canModerate: boolean;
}) {
  const { t } = ctx;
  const title = t('suggestions.queue.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: title }]}>
      <h1>{title}</h1>
      <p class="lead">{canModerate ? t('suggestions.queue.introCoordinator') : t('suggestions.queue.introOfficer')}</p>
      <nav aria-label={t('suggestions.queue.views')}>
        <ul class="actions">
          {views.map((v) => (
            <li>
              <a href={ctx.href(`/workspace/suggestions${queryString({ state: v.view === 'open' ? undefined : v.view })}`)} aria-current={v.view === view ? 'page' : undefined}>
                {t(`suggestions.queue.view.${v.view}`)} ({v.count})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>{t('suggestions.queue.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>{t('suggestions.queue.caption', { n: total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('suggestions.reference')}</th>
                <th scope="col">{t('suggestions.form.title')}</th>
                <th scope="col">{t('suggestions.subject')}</th>
                <th scope="col">{t('suggestions.receivedOn')}</th>
                <th scope="col">{t('suggestions.status')}</th>
                <th scope="col">{t('suggestions.agency')}</th>
                <th scope="col" class="num">
                  {t('suggestions.supportersLabel')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr>
                  <th scope="row">
                    <a href={ctx.href(`/workspace${suggestionPath(s.reference)}`)}>{s.reference}</a>
                  </th>
                  <td>
                    <Written ctx={ctx} language={s.language} text={s.publicTitle ?? s.title ?? t('suggestions.work.removed')} />
                  </td>
                  <td>
                    <Subject ctx={ctx} lookups={lookups} topic={s.topic} commitmentId={s.commitmentId} link={false} />
                  </td>
                  <td>{day(ctx, lookups, s.receivedAt)}</td>
                  <td>
                    <StateBadge ctx={ctx} state={s.state} />
                  </td>
                  <td>{orgName(ctx, lookups.organisations, s.responsibleAgency)}</td>
                  <td class="num">{s.supporters}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        ctx={ctx}
        page={page}
        pages={pages}
        label={t('suggestions.list.pages')}
        href={(p) => ctx.href(`/workspace/suggestions${queryString({ state: view === 'open' ? undefined : view, page: p === 1 ? undefined : p })}`)}
      />
      {canModerate && (
        <p>
          <a href={ctx.href('/workspace/suggestions/settings')}>{t('suggestions.settings.title')}</a>
        </p>
      )}
    </Layout>
  );
}

export interface WorkForms {
  publish: { values: Values; errors: Errors };
  merge: { values: Values; errors: Errors };
  reject: { values: Values; errors: Errors };
  respond: { values: Values; errors: Errors };
}

const NOTICES: Record<string, MessageKey> = {
  published: 'suggestions.work.done.published',
  merged: 'suggestions.work.done.merged',
  rejected: 'suggestions.work.done.rejected',
  responded: 'suggestions.work.done.responded',
};

/** Submitter's details and the original: for coordinators and the responsible agency only. */
function Submission({ ctx, lookups, s }: { ctx: PageContext; lookups: Lookups; s: Suggestion }) {
  const { t } = ctx;
  const none = t('suggestions.work.notGiven');
  return (
    <section aria-labelledby="submission">
      <h2 id="submission">{t('suggestions.work.submission')}</h2>
      <p class="hint">{t('suggestions.work.personalNotice')}</p>
      <dl class="facts">
        <dt>{t('suggestions.subject')}</dt>
        <dd>
          <Subject ctx={ctx} lookups={lookups} topic={s.topic} commitmentId={s.commitmentId} />
        </dd>
        <dt>{t('suggestions.receivedOn')}</dt>
        <dd>{day(ctx, lookups, s.receivedAt)}</dd>
        <dt>{t('suggestions.work.language')}</dt>
        <dd>{LOCALE_INFO[s.language].autonym}</dd>
        <dt>{t('suggestions.work.submitterType')}</dt>
        <dd>{t(`suggestions.submitter.${s.submitterType}`)}</dd>
        {s.purgedAt ? (
          <>
            <dt>{t('suggestions.work.personalData')}</dt>
            <dd>{t('suggestions.work.purgedOn', { date: day(ctx, lookups, s.purgedAt) })}</dd>
          </>
        ) : (
          <>
            <dt>{t('suggestions.work.name')}</dt>
            <dd>{s.submitterName ?? none}</dd>
            {s.submitterType === 'enterprise' && (
              <>
                <dt>{t('suggestions.work.organisation')}</dt>
                <dd>{s.submitterOrganisation ?? none}</dd>
              </>
            )}
            <dt>{t('suggestions.work.email')}</dt>
            <dd>{s.submitterEmail ? <a href={`mailto:${s.submitterEmail}`}>{s.submitterEmail}</a> : none}</dd>
          </>
        )}
        {s.source && s.source !== 'form' && (
          <>
            <dt>{t('suggestions.work.source')}</dt>
            <dd>
              {t(`suggestions.source.${s.source}`)}
              {s.source === 'symposium-feedback' && s.sourceRef && (
                <>
                  {' · '}
                  <a href={ctx.href(`/events/${s.sourceRef}`)}>{s.sourceRef}</a>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <h3>{t('suggestions.work.original')}</h3>
      {s.title === null || s.body === null ? <p>{t('suggestions.work.removed')}</p> : <AsWritten language={s.language} title={s.title} text={s.body} />}
    </section>
  );
}

/** What has been decided: the public copy and responsible agency, the merge, the rejection, the response. */
function Outcome({ ctx, lookups, s }: { ctx: PageContext; lookups: Lookups; s: Suggestion }) {
  const { t } = ctx;
  if (s.state === 'received') return null;
  return (
    <section aria-labelledby="outcome">
      <h2 id="outcome">{t('suggestions.work.outcome')}</h2>
      <dl class="facts">
        {s.moderatedAt && (
          <>
            <dt>{t('suggestions.work.moderatedOn')}</dt>
            <dd>{day(ctx, lookups, s.moderatedAt)}</dd>
          </>
        )}
        {s.responsibleAgency && (
          <>
            <dt>{t('suggestions.agency')}</dt>
            <dd>{orgName(ctx, lookups.organisations, s.responsibleAgency)}</dd>
          </>
        )}
        {s.mergedIntoReference && (
          <>
            <dt>{t('suggestions.mergedInto')}</dt>
            <dd>
              <a href={ctx.href(`/workspace${suggestionPath(s.mergedIntoReference)}`)}>{s.mergedIntoReference}</a>
            </dd>
          </>
        )}
        {s.rejectReason && (
          <>
            <dt>{t('suggestions.work.reason')}</dt>
            <dd>{s.rejectReason}</dd>
          </>
        )}
        {s.supporters > 1 && (
          <>
            <dt>{t('suggestions.supportersLabel')}</dt>
            <dd>{t('suggestions.supporters', { n: s.supporters })}</dd>
          </>
        )}
      </dl>
      {s.publicTitle && (
        <>
          <h3>{t('suggestions.work.publicCopy')}</h3>
          <p>
            <a href={ctx.href(suggestionPath(s.reference))}>
              <Written ctx={ctx} language={s.language} text={s.publicTitle} />
            </a>
          </p>
          <Written ctx={ctx} language={s.language} text={s.publicBody} block />
        </>
      )}
      {s.response && s.respondedAt && (
        <>
          <h3>{t('suggestions.response')}</h3>
          <p class="meta">{t('suggestions.respondedBy', { agency: orgName(ctx, lookups.organisations, s.responsibleAgency), date: day(ctx, lookups, s.respondedAt) })}</p>
          <LocalizedBlock ctx={ctx} text={s.response} />
        </>
      )}
    </section>
  );
}

/** Publish (with a checked public copy and the agency that must respond), merge into a duplicate, or reject. */
function ModerationForms({ ctx, lookups, s, forms, targets }: { ctx: PageContext; lookups: Lookups; s: Suggestion; forms: WorkForms; targets: MergeTarget[] }) {
  const { t } = ctx;
  const action = (what: string) => ctx.href(`/workspace${suggestionPath(s.reference)}/${what}`);
  const agencies = [...lookups.organisations.values()].filter(isAgency);
  const agencyGroup = (side: 'hong-kong' | 'zhejiang', label: string) => ({
    label,
    options: agencies
      .filter((o) => o.side === side)
      .map((o) => ({ value: o.id, label: ctx.text(o.name) }))
      .sort((a, b) => a.label.localeCompare(b.label, ctx.locale)),
  });
  const lang = LOCALE_INFO[s.language].htmlLang;
  return (
    <>
      <section aria-labelledby="publish">
        <h2 id="publish">{t('suggestions.work.publish')}</h2>
        <p class="hint">{t('suggestions.work.publishHint')}</p>
        <Form ctx={ctx} action={action('publish')}>
          <SelectField
            ctx={ctx}
            name="agency"
            label={t('suggestions.agency')}
            value={forms.publish.values.agency ?? ''}
            error={forms.publish.errors.agency}
            blank="—"
            groups={[agencyGroup('hong-kong', t('impl.side.hongKong')), agencyGroup('zhejiang', t('impl.side.zhejiang'))]}
          />
          <TextField ctx={ctx} name="publicTitle" label={t('suggestions.work.publicTitle')} lang={lang} value={forms.publish.values.publicTitle ?? ''} error={forms.publish.errors.publicTitle} />
          <TextArea ctx={ctx} name="publicBody" label={t('suggestions.work.publicBody')} lang={lang} value={forms.publish.values.publicBody ?? ''} error={forms.publish.errors.publicBody} rows={10} />
          <button type="submit">{t('suggestions.work.publishButton')}</button>
        </Form>
      </section>
      <section aria-labelledby="merge">
        <h2 id="merge">{t('suggestions.work.merge')}</h2>
        <p class="hint">{t('suggestions.work.mergeHint')}</p>
        {targets.length === 0 ? (
          <p>{t('suggestions.work.noTargets')}</p>
        ) : (
          <Form ctx={ctx} action={action('merge')}>
            <SelectField
              ctx={ctx}
              name="target"
              label={t('suggestions.work.target')}
              value={forms.merge.values.target ?? ''}
              error={forms.merge.errors.target}
              options={[{ value: '', label: '—' }, ...targets.map((x) => ({ value: x.reference, label: `${x.reference} ${x.title}`.slice(0, 160) }))]}
            />
            <button type="submit" class="secondary">
              {t('suggestions.work.mergeButton')}
            </button>
          </Form>
        )}
      </section>
      <section aria-labelledby="reject">
        <h2 id="reject">{t('suggestions.work.reject')}</h2>
        <Form ctx={ctx} action={action('reject')}>
          <TextArea
            ctx={ctx}
            name="reason"
            label={t('suggestions.work.reason')}
            hint={t('suggestions.work.reasonHint')}
            value={forms.reject.values.reason ?? ''}
            error={forms.reject.errors.reason}
            rows={4}
          />
          <button type="submit" class="danger">
            {t('suggestions.work.rejectButton')}
          </button>
        </Form>
      </section>
    </>
  );
}

/** One suggestion in the workspace, with the forms the person may use on it. */
export function SuggestionWorkPage({
  ctx,
  lookups,
  s,
  can,
  forms,
  targets,
  done,
}: {
  ctx: PageContext;
  lookups: Lookups;
  s: Suggestion;
  can: { moderate: boolean; respond: boolean };
  forms: WorkForms;
  targets: MergeTarget[];
  done: string | undefined;
}) {
  const { t } = ctx;
  const notice = done ? NOTICES[done] : undefined;
  const errors = { ...forms.publish.errors, ...forms.merge.errors, ...forms.reject.errors, ...forms.respond.errors };
  const labels = {
    agency: t('suggestions.agency'),
    publicTitle: t('suggestions.work.publicTitle'),
    publicBody: t('suggestions.work.publicBody'),
    target: t('suggestions.work.target'),
    reason: t('suggestions.work.reason'),
    responseHant: t('suggestions.response'),
  };
  return (
    <Layout ctx={ctx} title={s.reference} breadcrumbs={workspaceCrumbs(ctx, s.reference)}>
      <h1>{s.reference}</h1>
      <p>
        <StateBadge ctx={ctx} state={s.state} />
      </p>
      {notice && <Notice>{t(notice)}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Submission ctx={ctx} lookups={lookups} s={s} />
      <Outcome ctx={ctx} lookups={lookups} s={s} />
      {can.moderate && s.state === 'received' && <ModerationForms ctx={ctx} lookups={lookups} s={s} forms={forms} targets={targets} />}
      {can.respond && s.state === 'published' && (
        <section aria-labelledby="respond">
          <h2 id="respond">{t('suggestions.work.respond')}</h2>
          <p class="hint">{t('suggestions.work.respondHint')}</p>
          <Form ctx={ctx} action={ctx.href(`/workspace${suggestionPath(s.reference)}/respond`)}>
            <LocalizedFields ctx={ctx} prefix="response" legend={t('suggestions.response')} hint={t('impl.form.oneLanguage')} values={forms.respond.values} errors={forms.respond.errors} multiline />
            <button type="submit">{t('suggestions.work.respondButton')}</button>
          </Form>
        </section>
      )}
    </Layout>
  );
}

/** The module's settings: after how long closed suggestions lose their personal data. */
export function SettingsPage({ ctx, values, errors, saved }: { ctx: PageContext; values: Values; errors: Errors; saved: boolean }) {
  const { t } = ctx;
  const title = t('suggestions.settings.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={workspaceCrumbs(ctx, title)}>
      <h1>{title}</h1>
      {saved && <Notice>{t('suggestions.settings.saved')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ purgeAfterMonths: t('suggestions.settings.purgeAfterMonths') }} />
      <Form ctx={ctx} action={ctx.href('/workspace/suggestions/settings')}>
        <TextField
          ctx={ctx}
          name="purgeAfterMonths"
          label={t('suggestions.settings.purgeAfterMonths')}
          hint={t('suggestions.settings.purgeHint')}
          inputmode="numeric"
          value={values.purgeAfterMonths ?? ''}
          error={errors.purgeAfterMonths}
        />
        <button type="submit">{t('impl.save')}</button>
      </Form>
    </Layout>
  );
}
