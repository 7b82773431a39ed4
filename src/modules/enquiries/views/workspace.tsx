import type { EnquiryState } from '../tables.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import type { PendingFile } from '../../../platform/files/pending.ts';
import { DefaultSubmit, ErrorSummary, Form, Notice, PendingFiles, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Enquiry } from '../queries/cases.ts';
import type { QueueRow } from '../queries/queue.ts';
import type { Settings } from '../queries/settings.ts';
import type { CaseEvent, CaseFile } from '../queries/timeline.ts';
import type { Topic } from '../queries/topics.ts';
import { ENQUIRY_OUTCOMES, ENQUIRY_STATES, ENQUIRY_TYPES } from '../schemas.ts';
import {
  AttachmentsField,
  agencyName,
  DueText,
  type Errors,
  FormErrors,
  FormProblem,
  languageName,
  type Organisations,
  Paragraphs,
  Section,
  StateBadge,
  Timeline,
  topicName,
  typeName,
  type Values,
} from './parts.tsx';

const workspaceCrumbs = (ctx: PageContext) => [{ label: ctx.t('enq.queue.title'), href: ctx.href('/workspace/enquiries') }];

export interface QueueView {
  rows: QueueRow[];
  counts: Record<EnquiryState | 'overdue', number>;
  total: number;
  page: number;
  pages: number;
  filter: { state: string; type: string; overdue: string };
}

/** The page of the queue at another page number, with the same filters. */
function queueHref(ctx: PageContext, filter: QueueView['filter'], page: number): string {
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== ''));
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return ctx.href(`/workspace/enquiries${query ? `?${query}` : ''}`);
}

/** The cases an officer's agency handles (or a coordinator oversees), soonest due first. */
export function QueuePage({
  ctx,
  view,
  topics,
  organisations,
  today,
  canSettings,
  scope,
  notice,
}: {
  ctx: PageContext;
  view: QueueView;
  topics: Map<string, Topic>;
  organisations: Organisations;
  today: string;
  canSettings: boolean;
  scope: string;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const title = t('enq.queue.title');
  const count = (key: EnquiryState | 'overdue', filter: Partial<QueueView['filter']>) => (
    <li>
      <a href={queueHref(ctx, { state: '', type: '', overdue: '', ...filter }, 1)}>
        {key === 'overdue' ? t('enq.overdue') : t(`enq.state.${key}`)}: <strong>{view.counts[key].toLocaleString(ctx.locale === 'en' ? 'en-GB' : ctx.locale)}</strong>
      </a>
    </li>
  );
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: title }]}>
      <h1>{title}</h1>
      {notice && <Notice>{notice}</Notice>}
      <p class="lead">{scope}</p>
      <ul class="link-list">
        {canSettings && (
          <li>
            <a href={ctx.href('/workspace/enquiries/settings')}>{t('enq.settings.title')}</a>
          </li>
        )}
        <li>
          <a href={ctx.href('/enquiries/statistics')}>{t('enq.stats.title')}</a>
        </li>
      </ul>
      <ul class="totals" aria-label={t('enq.queue.counts')}>
        {count('open', { state: 'open' })}
        {count('awaiting-citizen', { state: 'awaiting-citizen' })}
        {count('with-coordinators', { state: 'with-coordinators' })}
        {count('overdue', { overdue: '1' })}
      </ul>
      <form method="get" action={ctx.href('/workspace/enquiries')} class="filters">
        <SelectField
          ctx={ctx}
          name="state"
          label={t('enq.state')}
          value={view.filter.state}
          options={[{ value: '', label: t('enq.queue.allOpen') }, ...ENQUIRY_STATES.map((s) => ({ value: s, label: t(`enq.state.${s}`) }))]}
        />
        <SelectField
          ctx={ctx}
          name="type"
          label={t('enq.field.type')}
          value={view.filter.type}
          options={[{ value: '', label: t('enq.queue.allTypes') }, ...ENQUIRY_TYPES.map((s) => ({ value: s, label: typeName(ctx, s) }))]}
        />
        <div class="field checkbox">
          <input type="checkbox" id="field-overdue" name="overdue" value="1" checked={view.filter.overdue === '1'} />
          <label for="field-overdue">{t('enq.queue.overdueOnly')}</label>
        </div>
        <button type="submit">{t('enq.queue.filter')}</button>
      </form>
      {view.rows.length === 0 ? (
        <p>{t('enq.queue.none')}</p>
      ) : (
        <div class="table-scroll">
          <table class="queue">
            <caption>{t('enq.queue.caption', { total: view.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('enq.reference')}</th>
                <th scope="col">{t('enq.field.subject')}</th>
                <th scope="col">{t('enq.field.type')}</th>
                <th scope="col">{t('enq.field.topic')}</th>
                <th scope="col">{t('enq.agency')}</th>
                <th scope="col">{t('enq.state')}</th>
                <th scope="col">{t('enq.received')}</th>
                <th scope="col">{t('enq.due')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={ctx.href(`/workspace/enquiries/${r.id}`)}>{r.reference}</a>
                  </th>
                  <td>{r.subject ?? '–'}</td>
                  <td>{typeName(ctx, r.type)}</td>
                  <td>{topicName(ctx, topics, r.topicKey)}</td>
                  <td>{agencyName(ctx, organisations, r.agencyId)}</td>
                  <td>
                    <StateBadge ctx={ctx} state={r.state} />
                    {r.escalated && r.state !== 'closed' && (
                      <>
                        {' '}
                        <span class="badge enquiry-escalated">{t('enq.escalated')}</span>
                      </>
                    )}
                  </td>
                  <td>{ctx.date(r.receivedOn)}</td>
                  <td>{r.state === 'closed' ? '–' : <DueText ctx={ctx} enquiry={{ state: r.state, dueOn: r.dueOn, onTime: null }} today={today} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.pages > 1 && (
        <nav class="pager" aria-label={t('enq.queue.pages')}>
          {view.page > 1 && (
            <a href={queueHref(ctx, view.filter, view.page - 1)} rel="prev">
              {t('enq.queue.previous')}
            </a>
          )}{' '}
          <span>{t('enq.queue.pageOf', { page: view.page, pages: view.pages })}</span>{' '}
          {view.page < view.pages && (
            <a href={queueHref(ctx, view.filter, view.page + 1)} rel="next">
              {t('enq.queue.next')}
            </a>
          )}
        </nav>
      )}
    </Layout>
  );
}

export type CaseAction = 'reply' | 'note' | 'request-info' | 'transfer' | 'assign' | 'extend' | 'close';

export interface CaseState {
  /** The action whose form comes back with errors, and what was typed in it. */
  failed?: { action: CaseAction; values: Values; errors: Errors; pending?: PendingFile[] };
  notice?: string | undefined;
}

const option = (ctx: PageContext, organisations: Organisations, ids: string[]) => ids.map((id) => ({ value: id, label: agencyName(ctx, organisations, id) }));

/** A case for the people who handle or oversee it: its facts, the citizen's data, the timeline, and what may be done. */
export function CasePage({
  ctx,
  enquiry,
  events,
  topics,
  organisations,
  agencies,
  today,
  can,
  settings,
  state,
}: {
  ctx: PageContext;
  enquiry: Enquiry;
  events: CaseEvent[];
  topics: Map<string, Topic>;
  organisations: Organisations;
  /** The agencies a case may go to, by name. */
  agencies: string[];
  today: string;
  can: { handle: boolean; assign: boolean; personalData: boolean };
  settings: Settings;
  state: CaseState;
}) {
  const { t } = ctx;
  const title = t('enq.case.title', { reference: enquiry.reference });
  const failed = (action: CaseAction) => (state.failed?.action === action ? state.failed : undefined);
  const valuesOf = (action: CaseAction) => failed(action)?.values ?? {};
  const errorsOf = (action: CaseAction) => failed(action)?.errors ?? {};
  const version = <input type="hidden" name="version" value={String(enquiry.version)} />;
  const path = (action: CaseAction) => ctx.href(`/workspace/enquiries/${enquiry.id}/${action}`);
  const calendarName = t(enquiry.side === 'zhejiang' ? 'enq.calendar.mainland' : 'enq.calendar.hongKong');
  const fileHref = (f: CaseFile) => `/workspace/enquiries/${enquiry.id}/files/${f.id}/${encodeURIComponent(f.name)}`;
  const remaining = settings.extensionCap - enquiry.extensionDays;
  const others = agencies.filter((a) => a !== enquiry.agencyId);
  const textLabels = { body: t('enq.message') };
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[...workspaceCrumbs(ctx), { label: enquiry.reference }]}>
      <h1>{title}</h1>
      {state.notice && <Notice>{state.notice}</Notice>}
      <FormProblem ctx={ctx} error={state.failed?.errors.form} />
      <dl class="facts">
        <dt>{t('enq.state')}</dt>
        <dd>
          <StateBadge ctx={ctx} state={enquiry.state} />
          {enquiry.escalatedAt && enquiry.state !== 'closed' && (
            <>
              {' '}
              <span class="badge enquiry-escalated">{t('enq.escalated')}</span>
            </>
          )}
        </dd>
        <dt>{t('enq.field.type')}</dt>
        <dd>{typeName(ctx, enquiry.type)}</dd>
        <dt>{t('enq.field.topic')}</dt>
        <dd>{topicName(ctx, topics, enquiry.topicKey)}</dd>
        <dt>{t('enq.agency')}</dt>
        <dd>{agencyName(ctx, organisations, enquiry.agencyId)}</dd>
        <dt>{t('enq.received')}</dt>
        <dd>{ctx.date(enquiry.receivedOn)}</dd>
        <dt>{t('enq.timeLimit')}</dt>
        <dd>{t('enq.timeLimit.value', { days: enquiry.timeLimit, extension: enquiry.extensionDays, paused: enquiry.pausedDays, calendar: calendarName })}</dd>
        <dt>{t('enq.due')}</dt>
        <dd>
          <DueText ctx={ctx} enquiry={enquiry} today={today} />
        </dd>
        {enquiry.state === 'closed' && (
          <>
            <dt>{t('enq.outcome')}</dt>
            <dd>
              {enquiry.outcome && t(`enq.outcome.${enquiry.outcome}`)} · {enquiry.closedOn && ctx.date(enquiry.closedOn)} · {t('enq.workingDaysTaken', { days: enquiry.workingDaysTaken ?? 0 })}
            </dd>
            {enquiry.satisfaction !== null && (
              <>
                <dt>{t('enq.rating.title')}</dt>
                <dd>{t('enq.rating.given', { score: enquiry.satisfaction })}</dd>
              </>
            )}
          </>
        )}
      </dl>

      <Section id="citizen" title={t('enq.case.citizen')}>
        {enquiry.purgedAt ? (
          <p>{t('enq.case.purged', { date: ctx.date(enquiry.purgedAt.toISOString().slice(0, 10)) })}</p>
        ) : can.personalData ? (
          <dl class="facts personal-data">
            <dt>{t('enq.field.name')}</dt>
            <dd>{enquiry.name}</dd>
            <dt>{t('enq.field.email')}</dt>
            <dd>{enquiry.email && <a href={`mailto:${enquiry.email}`}>{enquiry.email}</a>}</dd>
            <dt>{t('enq.field.phone')}</dt>
            <dd>{enquiry.phone ?? '–'}</dd>
            <dt>{t('enq.field.locale')}</dt>
            <dd>{languageName(enquiry.locale)}</dd>
            {enquiry.state === 'closed' && enquiry.satisfactionComment && (
              <>
                <dt>{t('enq.rating.comment')}</dt>
                <dd>{enquiry.satisfactionComment}</dd>
              </>
            )}
          </dl>
        ) : (
          <p>{t('enq.case.personalHidden')}</p>
        )}
      </Section>

      <Section id="enquiry" title={enquiry.subject ?? t('enq.field.subject')}>
        <Paragraphs text={enquiry.description} />
      </Section>

      <Section id="timeline" title={t('enq.timeline')}>
        <Timeline ctx={ctx} events={events} organisations={organisations} audience="officer" fileHref={fileHref} />
      </Section>

      {can.handle && (
        <>
          <Section id="reply" title={t('enq.action.reply')}>
            <p class="hint">{t('enq.action.reply.hint', { language: languageName(enquiry.locale) })}</p>
            <FormErrors ctx={ctx} form="reply" errors={errorsOf('reply')} labels={{ ...textLabels, attachments: t('enq.attachments') }} />
            <form method="post" action={path('reply')} enctype="multipart/form-data" novalidate>
              <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
              {(failed('reply')?.pending ?? []).length > 0 && <DefaultSubmit name="intent" value="send" />}
              {version}
              <TextArea ctx={ctx} id="field-reply-body" name="body" label={t('enq.message')} value={valuesOf('reply').body} error={errorsOf('reply').body} rows={6} />
              <AttachmentsField ctx={ctx} id="field-reply-attachments" error={errorsOf('reply').attachments} />
              <PendingFiles ctx={ctx} field="attachments" files={failed('reply')?.pending ?? []} />
              <div class="buttons">
                <button type="submit">{t('enq.action.reply.send')}</button>
              </div>
            </form>
          </Section>

          {enquiry.state === 'open' && (
            <Section id="request-info" title={t('enq.action.requestInfo')}>
              <p class="hint">{t('enq.action.requestInfo.hint')}</p>
              <FormErrors ctx={ctx} form="request-info" errors={errorsOf('request-info')} labels={textLabels} />
              <Form ctx={ctx} action={path('request-info')}>
                {version}
                <TextArea
                  ctx={ctx}
                  id="field-request-info-body"
                  name="body"
                  label={t('enq.action.requestInfo.question')}
                  value={valuesOf('request-info').body}
                  error={errorsOf('request-info').body}
                  rows={4}
                />
                <div class="buttons">
                  <button type="submit">{t('enq.action.requestInfo.send')}</button>
                </div>
              </Form>
            </Section>
          )}

          <Section id="note" title={t('enq.action.note')}>
            <FormErrors ctx={ctx} form="note" errors={errorsOf('note')} labels={textLabels} />
            <Form ctx={ctx} action={path('note')}>
              {version}
              <TextArea
                ctx={ctx}
                id="field-note-body"
                name="body"
                label={t('enq.action.note.text')}
                hint={t('enq.action.note.hint')}
                value={valuesOf('note').body}
                error={errorsOf('note').body}
                rows={3}
              />
              <div class="buttons">
                <button type="submit" class="secondary">
                  {t('enq.action.note.send')}
                </button>
              </div>
            </Form>
          </Section>

          <Section id="extend" title={t('enq.action.extend')}>
            <p class="hint">{t('enq.action.extend.hint', { remaining, cap: settings.extensionCap })}</p>
            <FormErrors ctx={ctx} form="extend" errors={errorsOf('extend')} labels={{ days: t('enq.action.extend.days'), reason: t('enq.reason') }} />
            <Form ctx={ctx} action={path('extend')}>
              {version}
              <TextField ctx={ctx} id="field-extend-days" name="days" label={t('enq.action.extend.days')} inputmode="numeric" value={valuesOf('extend').days} error={errorsOf('extend').days} />
              <TextArea
                ctx={ctx}
                id="field-extend-reason"
                name="reason"
                label={t('enq.reason')}
                hint={t('enq.action.extend.reasonHint')}
                value={valuesOf('extend').reason}
                error={errorsOf('extend').reason}
                rows={3}
              />
              <div class="buttons">
                <button type="submit" class="secondary">
                  {t('enq.action.extend.send')}
                </button>
              </div>
            </Form>
          </Section>

          <Section id="transfer" title={t('enq.action.transfer')}>
            <p class="hint">{enquiry.refusals >= 1 ? t('enq.action.transfer.toCoordinators') : t('enq.action.transfer.hint')}</p>
            <FormErrors ctx={ctx} form="transfer" errors={errorsOf('transfer')} labels={{ agency: t('enq.agency'), reason: t('enq.reason') }} />
            <Form ctx={ctx} action={path('transfer')}>
              {version}
              <SelectField
                ctx={ctx}
                id="field-transfer-agency"
                name="agency"
                label={enquiry.refusals >= 1 ? t('enq.action.transfer.suggest') : t('enq.action.transfer.to')}
                value={valuesOf('transfer').agency ?? ''}
                error={errorsOf('transfer').agency}
                options={[{ value: '', label: t('enq.chooseAgency') }, ...option(ctx, organisations, others)]}
              />
              <TextArea
                ctx={ctx}
                id="field-transfer-reason"
                name="reason"
                label={t('enq.reason')}
                hint={t('enq.action.transfer.reasonHint')}
                value={valuesOf('transfer').reason}
                error={errorsOf('transfer').reason}
                rows={3}
              />
              <div class="buttons">
                <button type="submit" class="secondary">
                  {t('enq.action.transfer.send')}
                </button>
              </div>
            </Form>
          </Section>

          <Section id="close" title={t('enq.action.close')}>
            <FormErrors ctx={ctx} form="close" errors={errorsOf('close')} labels={{ outcome: t('enq.outcome'), body: t('enq.action.close.reply') }} />
            <Form ctx={ctx} action={path('close')}>
              {version}
              <SelectField
                ctx={ctx}
                id="field-close-outcome"
                name="outcome"
                label={t('enq.outcome')}
                value={valuesOf('close').outcome ?? ''}
                error={errorsOf('close').outcome}
                options={[{ value: '', label: t('enq.action.close.choose') }, ...ENQUIRY_OUTCOMES.map((o) => ({ value: o, label: t(`enq.outcome.${o}`) }))]}
              />
              <TextArea
                ctx={ctx}
                id="field-close-body"
                name="body"
                label={t('enq.action.close.reply')}
                hint={t('enq.action.reply.hint', { language: languageName(enquiry.locale) })}
                value={valuesOf('close').body}
                error={errorsOf('close').body}
                rows={6}
              />
              <div class="buttons">
                <button type="submit">{t('enq.action.close.send')}</button>
              </div>
            </Form>
          </Section>
        </>
      )}

      {can.assign && (
        <Section id="assign" title={t('enq.action.assign')}>
          <p class="hint">{t('enq.action.assign.hint')}</p>
          <FormErrors ctx={ctx} form="assign" errors={errorsOf('assign')} labels={{ agency: t('enq.agency'), reason: t('enq.reason') }} />
          <Form ctx={ctx} action={path('assign')}>
            {version}
            <SelectField
              ctx={ctx}
              id="field-assign-agency"
              name="agency"
              label={t('enq.action.assign.to')}
              value={valuesOf('assign').agency ?? ''}
              error={errorsOf('assign').agency}
              options={[{ value: '', label: t('enq.chooseAgency') }, ...option(ctx, organisations, others)]}
            />
            <TextArea ctx={ctx} id="field-assign-reason" name="reason" label={t('enq.action.assign.note')} value={valuesOf('assign').reason} error={errorsOf('assign').reason} rows={2} />
            <div class="buttons">
              <button type="submit">{t('enq.action.assign.send')}</button>
            </div>
          </Form>
        </Section>
      )}
    </Layout>
  );
}

/** Routing of topics to agencies, and the rules of time limits. */
export function SettingsPage({
  ctx,
  topics,
  agencies,
  organisations,
  values,
  errors,
  saved,
}: {
  ctx: PageContext;
  topics: Topic[];
  agencies: string[];
  organisations: Organisations;
  values: Values;
  errors: Errors;
  saved: boolean;
}) {
  const { t } = ctx;
  const title = t('enq.settings.title');
  const numbers = [
    ['limitEnquiry', t('enq.settings.limitEnquiry')],
    ['limitHelp', t('enq.settings.limitHelp')],
    ['limitComplaint', t('enq.settings.limitComplaint')],
    ['extensionCap', t('enq.settings.extensionCap')],
    ['warningLead', t('enq.settings.warningLead')],
    ['purgeMonths', t('enq.settings.purgeMonths')],
  ] as const;
  const labels = { ...Object.fromEntries(numbers), ...Object.fromEntries(topics.map((topic) => [`topic-${topic.key}`, ctx.text(topic.name)])) };
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[...workspaceCrumbs(ctx), { label: title }]}>
      <h1>{title}</h1>
      {saved && <Notice>{t('enq.settings.saved')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={ctx.href('/workspace/enquiries/settings')}>
        <fieldset>
          <legend>{t('enq.settings.limits')}</legend>
          <p class="hint">{t('enq.settings.limitsHint')}</p>
          {numbers.map(([name, label]) => (
            <TextField ctx={ctx} name={name} label={label} inputmode="numeric" value={values[name]} error={errors[name]} />
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('enq.settings.routing')}</legend>
          <p class="hint">{t('enq.settings.routingHint')}</p>
          {topics.map((topic) => (
            <SelectField
              ctx={ctx}
              name={`topic-${topic.key}`}
              label={ctx.text(topic.name)}
              value={values[`topic-${topic.key}`] ?? topic.agencyId}
              error={errors[`topic-${topic.key}`]}
              options={option(ctx, organisations, agencies)}
            />
          ))}
        </fieldset>
        <div class="buttons">
          <button type="submit">{t('enq.settings.save')}</button>
        </div>
      </Form>
    </Layout>
  );
}
