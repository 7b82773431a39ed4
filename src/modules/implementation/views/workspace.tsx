import type { FieldError } from '../../../platform/http/forms.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { CheckboxList, DefaultSubmit, ErrorSummary, Form, LocalizedFields, Notice, PendingFiles, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import type { PendingFile } from '../../../platform/files/pending.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import { Localized, LocalizedBlock } from '../../../platform/html/localized.tsx';
import type { MessageKey } from '../../../platform/i18n/messages.ts';
import { EVENT_COUNT_CHOICES } from '../event-counts.ts';
import { milestoneTiming } from '../progress.ts';
import type { Action, Indicator, Meeting, Milestone, Period, ProgressUpdate, ProjectAgreement, UpdateDetail } from '../queries.ts';
import { ACTION_STATUSES, DIRECTIONS, MEASURES, MEETING_TYPES, MILESTONE_STATUSES, PROJECT_AGREEMENT_STATUSES, SCOPES } from '../schemas.ts';
import { actionPath, CountedFromEvents, countedKind, filePath, formatBytes, MilestoneBadge, orgName, type Organisations, periodLabel, ReadingText, readingOf, Section, sideName, StatusBadge } from './parts.tsx';
import { type AreaInfo, commitmentCode, commitmentLabel, type CommitmentKey } from '../../agreements/index.ts';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;

const stateKey = (state: ProgressUpdate['state']) => `impl.update.state.${state}` as MessageKey & `impl.update.state.${string}`;

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
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.workspace.title')} breadcrumbs={[{ label: t('impl.workspace.title') }]}>
      <h1>{t('impl.workspace.title')}</h1>
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
                <time datetime={m.dueOn}>{ctx.date(m.dueOn)}</time> <MilestoneBadge ctx={ctx} status={m.status} overdue={milestoneTiming(m, today) === 'overdue'} /> <Localized ctx={ctx} text={m.title} /> —{' '}
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

export function ActionFormFields({
  ctx,
  values,
  errors,
  partners,
  organisations,
  canAssign,
  parents,
  decisions,
}: {
  ctx: PageContext;
  values: Values;
  errors: Errors;
  partners: string[];
  organisations: Organisations;
  canAssign: { 'hong-kong': boolean; zhejiang: boolean };
  parents: { id: number; title: Action['title'] }[];
  decisions: { id: number; label: string }[];
}) {
  const { t } = ctx;
  const side = (s: 'hong-kong' | 'zhejiang') => [...organisations.values()].filter((o) => o.side === s).map((o) => ({ value: o.id, label: ctx.text(o.name) }));
  const none = { value: '', label: t('impl.noLead') };
  const lead = (name: 'leadHongKong' | 'leadZhejiang', s: 'hong-kong' | 'zhejiang', label: string) =>
    canAssign[s] ? (
      <SelectField ctx={ctx} name={name} label={label} value={values[name] ?? ''} error={errors[name]} options={[none, ...side(s)]} />
    ) : (
      <div class="field">
        <p>
          {label}: {orgName(ctx, organisations, values[name] || null)}
        </p>
        <input type="hidden" name={name} value={values[name] ?? ''} />
      </div>
    );
  return (
    <>
      <LocalizedFields ctx={ctx} prefix="title" legend={t('impl.form.title')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
      <LocalizedFields ctx={ctx} prefix="description" legend={t('impl.form.description')} values={values} errors={errors} multiline />
      {lead('leadHongKong', 'hong-kong', t('impl.leadHongKong'))}
      {lead('leadZhejiang', 'zhejiang', t('impl.leadZhejiang'))}
      <CheckboxList
        ctx={ctx}
        name="partners"
        legend={t('impl.partners')}
        checked={partners}
        error={errors.partners}
        options={[...organisations.values()].filter((o) => o.side !== 'other' || o.type === 'government-agency').map((o) => ({ value: o.id, label: ctx.text(o.name) }))}
      />
      {parents.length > 0 && (
        <SelectField
          ctx={ctx}
          name="parentId"
          label={t('impl.form.parent')}
          value={values.parentId ?? ''}
          error={errors.parentId}
          options={[{ value: '', label: t('impl.form.noParent') }, ...parents.map((p) => ({ value: String(p.id), label: ctx.text(p.title) }))]}
        />
      )}
      {decisions.length > 0 && (
        <SelectField
          ctx={ctx}
          name="decisionId"
          label={t('impl.form.decision')}
          value={values.decisionId ?? ''}
          error={errors.decisionId}
          options={[{ value: '', label: t('impl.form.noDecision') }, ...decisions.map((d) => ({ value: String(d.id), label: d.label }))]}
        />
      )}
      <TextField ctx={ctx} name="startsOn" type="date" label={t('impl.form.startsOn')} value={values.startsOn ?? ''} error={errors.startsOn} />
      <TextField ctx={ctx} name="endsOn" type="date" label={t('impl.form.endsOn')} value={values.endsOn ?? ''} error={errors.endsOn} />
      <SelectField ctx={ctx} name="status" label={t('impl.form.status')} value={values.status ?? 'planned'} error={errors.status} options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`impl.status.${s}`) }))} />
      <TextArea ctx={ctx} name="statusReason" label={t('impl.form.statusReason')} hint={t('impl.form.statusReasonHint')} value={values.statusReason ?? ''} error={errors.statusReason} rows={3} />
    </>
  );
}

export function ActionFormPage({
  ctx,
  commitment,
  areas,
  action,
  values,
  errors,
  partners,
  organisations,
  canAssign,
  parents,
  decisions,
  saved,
  milestones,
  milestoneErrors,
  milestoneValues,
  updates,
  canReport,
  today,
}: {
  ctx: PageContext;
  commitment: CommitmentKey;
  areas: AreaInfo[];
  action: Action | undefined;
  values: Values;
  errors: Errors;
  partners: string[];
  organisations: Organisations;
  canAssign: { 'hong-kong': boolean; zhejiang: boolean };
  parents: { id: number; title: Action['title'] }[];
  decisions: { id: number; label: string }[];
  saved: boolean;
  milestones: Milestone[];
  milestoneErrors: Errors;
  milestoneValues: Values;
  updates: ProgressUpdate[];
  canReport: boolean;
  today: string;
}) {
  const { t } = ctx;
  const label = commitmentLabel(ctx, areas, commitment);
  const title = action ? ctx.text(action.title) : t('impl.action.new');
  const path = action ? `/workspace/actions/${action.id}` : `/workspace/commitments/${commitmentCode(commitment)}/actions/new`;
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label }, { label: title }]}>
      <p class="eyebrow">{label}</p>
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      {action && (
        <p>
          <a href={ctx.href(actionPath(action.id))}>{t('impl.action.publicPage')}</a>
          {canReport && (
            <>
              {' · '}
              <a href={ctx.href(`/workspace/actions/${action.id}/updates/new`)}>{t('impl.update.new')}</a>
            </>
          )}
          {' · '}
          <a href={ctx.href(`/workspace/commitments/${commitmentCode(commitment)}/actions/new?parent=${action.id}`)}>{t('impl.action.newSub')}</a>
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ titleHant: t('impl.form.title'), leadHongKong: t('impl.leadHongKong'), leadZhejiang: t('impl.leadZhejiang'), statusReason: t('impl.form.statusReason'), startsOn: t('impl.form.startsOn'), endsOn: t('impl.form.endsOn'), partners: t('impl.partners'), parentId: t('impl.form.parent') }} />
      <Form ctx={ctx} action={ctx.href(path)}>
        <ActionFormFields ctx={ctx} values={values} errors={errors} partners={partners} organisations={organisations} canAssign={canAssign} parents={parents} decisions={decisions} />
        <button type="submit">{t('impl.save')}</button>
      </Form>
      {action && (
        <>
          <Section id="milestones" title={t('impl.milestones')}>
            {milestones.map((m) => (
              <details class="milestone-edit" open={milestoneErrors._id === String(m.id)}>
                <summary>
                  <time datetime={m.dueOn}>{ctx.date(m.dueOn)}</time> <Localized ctx={ctx} text={m.title} /> <MilestoneBadge ctx={ctx} status={m.status} overdue={m.status === 'scheduled' && m.dueOn < today} />
                </summary>
                <MilestoneForm ctx={ctx} action={ctx.href(`/workspace/milestones/${m.id}`)} idPrefix={`m${m.id}`} values={milestoneErrors._id === String(m.id) ? milestoneValues : milestoneFormValues(m)} errors={milestoneErrors._id === String(m.id) ? milestoneErrors : {}} />
              </details>
            ))}
            <h3>{t('impl.milestone.add')}</h3>
            <MilestoneForm ctx={ctx} action={ctx.href(`/workspace/actions/${action.id}/milestones`)} idPrefix="new" values={milestoneErrors._id === 'new' ? milestoneValues : { status: 'scheduled' }} errors={milestoneErrors._id === 'new' ? milestoneErrors : {}} />
          </Section>
          <Section id="updates" title={t('impl.updates')}>
            {updates.length === 0 ? (
              <p>{t('impl.workspace.noUpdates')}</p>
            ) : (
              <ul>
                {updates.map((u) => (
                  <li>
                    <a href={ctx.href(`/workspace/updates/${u.id}`)}>{u.reference}</a> · {orgName(ctx, organisations, u.organisationId)} · {t(stateKey(u.state))}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </>
      )}
    </Layout>
  );
}

export function milestoneFormValues(m: Milestone): Values {
  return {
    titleHant: m.title['zh-Hant'] ?? '',
    titleHans: m.title['zh-Hans'] ?? '',
    titleEn: m.title.en ?? '',
    evidenceHant: m.evidence['zh-Hant'] ?? '',
    evidenceHans: m.evidence['zh-Hans'] ?? '',
    evidenceEn: m.evidence.en ?? '',
    dueOn: m.dueOn,
    status: m.status,
    metOn: m.metOn ?? '',
  };
}

function MilestoneForm({ ctx, action, idPrefix, values, errors }: { ctx: PageContext; action: string; idPrefix: string; values: Values; errors: Errors }) {
  const { t } = ctx;
  const id = (name: string) => `${idPrefix}-${name}`;
  const field = (name: string, label: string, type: 'text' | 'date' = 'text', lang?: string) => <TextField ctx={ctx} id={id(name)} name={name} type={type} label={label} value={values[name] ?? ''} error={errors[name]} {...(lang ? { lang } : {})} />;
  return (
    <Form ctx={ctx} action={action} class="milestone-form">
      <fieldset>
        <legend>{t('impl.milestone.title')}</legend>
        {errors.titleHant && <p class="error-message">{t('form.error.one_language_required')}</p>}
        {field('titleHant', '繁體中文', 'text', 'zh-Hant-HK')}
        {field('titleHans', '简体中文', 'text', 'zh-Hans-CN')}
        {field('titleEn', 'English', 'text', 'en')}
      </fieldset>
      {field('dueOn', t('impl.milestone.due'), 'date')}
      <SelectField ctx={ctx} id={id('status')} name="status" label={t('impl.milestone.status')} value={values.status ?? 'scheduled'} error={errors.status} options={MILESTONE_STATUSES.map((s) => ({ value: s, label: t(`impl.milestone.${s}`) }))} />
      {field('metOn', t('impl.milestone.metOn'), 'date')}
      <fieldset>
        <legend>{t('impl.milestone.evidence')}</legend>
        {field('evidenceHant', '繁體中文', 'text', 'zh-Hant-HK')}
        {field('evidenceHans', '简体中文', 'text', 'zh-Hans-CN')}
        {field('evidenceEn', 'English', 'text', 'en')}
      </fieldset>
      <button type="submit">{t('impl.save')}</button>
    </Form>
  );
}

export function UpdateFormPage({
  ctx,
  action,
  update,
  values,
  errors,
  periods,
  projectAgreements,
  linked,
  organisations,
  canEdit,
  canDecide,
  decisionErrors,
  notice,
  pending = [],
}: {
  ctx: PageContext;
  action: Action;
  update: UpdateDetail | undefined;
  values: Values;
  errors: Errors;
  periods: { indicator: Indicator; period: Period }[];
  projectAgreements: ProjectAgreement[];
  linked: string[];
  organisations: Organisations;
  canEdit: boolean;
  canDecide: boolean;
  decisionErrors: Errors;
  notice?: MessageKey | undefined;
  /** Evidence kept from an attempt that was refused, sent again with the form. */
  pending?: readonly PendingFile[];
}) {
  const { t } = ctx;
  const title = update ? t('impl.update.titleRef', { reference: update.reference }) : t('impl.update.new');
  const path = update ? `/workspace/updates/${update.id}` : `/workspace/actions/${action.id}/updates/new`;
  const periodValue = (periodId: number) => update?.values.find((v) => v.periodId === periodId);
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: ctx.text(action.title), href: ctx.href(`/workspace/actions/${action.id}`) }, { label: title }]}>
      <h1>{title}</h1>
      <p class="eyebrow">
        <Localized ctx={ctx} text={action.title} />
      </p>
      {notice && <Notice>{t(notice as 'impl.saved')}</Notice>}
      {update && (
        <dl class="facts">
          <dt>{t('impl.update.state')}</dt>
          <dd>{t(stateKey(update.state))}</dd>
          <dt>{t('impl.update.agency')}</dt>
          <dd>
            {orgName(ctx, organisations, update.organisationId)} ({sideName(ctx, update.side)})
          </dd>
          {update.authorName && (
            <>
              <dt>{t('impl.update.author')}</dt>
              <dd>{update.authorName}</dd>
            </>
          )}
          {update.state === 'returned' && update.returnReason && (
            <>
              <dt>{t('impl.update.returnReason')}</dt>
              <dd>{update.returnReason}</dd>
            </>
          )}
        </dl>
      )}
      {canEdit ? (
        <>
          <ErrorSummary ctx={ctx} errors={errors} labels={{ narrativeHant: t('impl.update.narrative'), attachments: t('impl.update.attachments'), intent: t('impl.update.title') }} />
          <form method="post" action={ctx.href(path)} enctype="multipart/form-data" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
            {pending.length > 0 && <DefaultSubmit name="intent" value="save" />}
            <LocalizedFields ctx={ctx} prefix="narrative" legend={t('impl.update.narrative')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} multiline />
            {periods.length > 0 && (
              <fieldset class="indicator-values">
                <legend>{t('impl.update.figures')}</legend>
                <p class="hint">{t('impl.update.figuresHint')}</p>
                {periods.map(({ indicator, period }) => {
                  const name = `period-${period.id}`;
                  const unit = ctx.text(indicator.unit);
                  // Actuals of an indicator fed by events are counted, not reported: the form says so instead of asking.
                  if (indicator.countsEvents !== null) {
                    return (
                      <p class="counted-figure" id={`counted-${period.id}`}>
                        {t('impl.update.countedFigure', { name: `${ctx.text(indicator.name)} · ${periodLabel(ctx, period)} (${countedKind(ctx, indicator)})` })}
                      </p>
                    );
                  }
                  const stored = periodValue(period.id);
                  const value = values[name] ?? (stored ? (stored.value !== null ? String(stored.value) : ctx.text(stored.text ?? {})) : '');
                  return (
                    <TextField
                      ctx={ctx}
                      name={name}
                      label={`${ctx.text(indicator.name)} · ${periodLabel(ctx, period)}${unit ? ` (${unit})` : ''}`}
                      value={value}
                      error={errors[name]}
                      {...(indicator.measure === 'qualitative' ? {} : { inputmode: 'decimal' as const })}
                    />
                  );
                })}
              </fieldset>
            )}
            {projectAgreements.length > 0 && (
              <CheckboxList ctx={ctx} name="projectAgreements" legend={t('impl.update.projectAgreements')} checked={linked} options={projectAgreements.map((p) => ({ value: String(p.id), label: `${p.reference} ${ctx.text(p.title)}` }))} />
            )}
            {update && update.attachments.length > 0 && (
              <CheckboxList
                ctx={ctx}
                name="removeAttachments"
                legend={t('impl.update.removeAttachments')}
                checked={[]}
                options={update.attachments.map((f) => ({ value: f.id, label: `${f.name} (${formatBytes(f.size)})` }))}
              />
            )}
            <div class={errors.attachments ? 'field field-error' : 'field'}>
              <label for="field-attachments">{t('impl.update.attachments')}</label>
              <p class="hint" id="field-attachments-hint">
                {t('impl.update.attachmentsHint')}
              </p>
              {errors.attachments && (
                <p class="error-message" id="field-attachments-error">
                  {t(`form.error.${errors.attachments}` as 'form.error.required')}
                </p>
              )}
              <input id="field-attachments" name="attachments" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.webp,.gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.odt,.ods,.odp" aria-describedby="field-attachments-hint" />
              <PendingFiles ctx={ctx} field="attachments" files={pending} />
            </div>
            <div class="buttons">
              <button type="submit" name="intent" value="save" class="secondary">
                {t('impl.update.saveDraft')}
              </button>
              <button type="submit" name="intent" value="submit">
                {t('impl.update.submit')}
              </button>
            </div>
          </form>
        </>
      ) : (
        update && <UpdateReadOnly ctx={ctx} update={update} periods={periods} />
      )}
      {canDecide && update && (
        <Section id="decision" title={t('impl.update.decide')}>
          <ErrorSummary ctx={ctx} errors={decisionErrors} labels={{ reason: t('impl.update.returnReason'), decision: t('impl.update.decide') }} />
          <Form ctx={ctx} action={ctx.href(`/workspace/updates/${update.id}/decision`)}>
            <TextArea ctx={ctx} name="reason" label={t('impl.update.returnReason')} hint={t('impl.update.returnReasonHint')} error={decisionErrors.reason} rows={3} />
            <div class="buttons">
              <button type="submit" name="decision" value="approve">
                {t('impl.update.approve')}
              </button>
              <button type="submit" name="decision" value="return" class="secondary">
                {t('impl.update.return')}
              </button>
            </div>
          </Form>
        </Section>
      )}
    </Layout>
  );
}

function UpdateReadOnly({ ctx, update, periods }: { ctx: PageContext; update: UpdateDetail; periods: { indicator: Indicator; period: Period }[] }) {
  return (
    <>
      <LocalizedBlock ctx={ctx} text={update.narrative} />
      {update.values.length > 0 && (
        <table>
          <caption>{ctx.t('impl.update.figures')}</caption>
          <tbody>
            {update.values.map((v) => {
              const p = periods.find((x) => x.period.id === v.periodId);
              return (
                <tr>
                  <th scope="row">{p ? `${ctx.text(p.indicator.name)} · ${periodLabel(ctx, p.period)}` : v.periodId}</th>
                  <td class="num">{v.value !== null ? String(v.value) : ctx.text(v.text ?? {})}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {update.attachments.length > 0 && (
        <ul class="attachments">
          {update.attachments.map((f) => (
            <li>
              <a href={filePath(f)}>{f.name}</a> ({formatBytes(f.size)})
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function IndicatorsAdminPage({ ctx, indicators, commitments, areas }: { ctx: PageContext; indicators: Indicator[]; commitments: CommitmentKey[]; areas: AreaInfo[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('impl.indicators')} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.indicators') }]}>
      <h1>{t('impl.indicators')}</h1>
      <p>
        <a href={ctx.href('/workspace/indicators/new')}>{t('impl.indicator.new')}</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('impl.indicator.name')}</th>
            <th scope="col">{t('impl.dashboard.commitment')}</th>
            <th scope="col">{t('impl.indicator.periods')}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((i) => {
            const c = commitments.find((k) => k.id === i.commitmentId);
            return (
              <tr>
                <th scope="row">
                  <a href={ctx.href(`/workspace/indicators/${i.id}`)}>
                    <Localized ctx={ctx} text={i.name} />
                  </a>
                  {i.countsEvents !== null && (
                    <>
                      {' '}
                      <span class="badge">{t('impl.indicator.counted')}</span>
                    </>
                  )}
                </th>
                <td>{c ? commitmentLabel(ctx, areas, c) : ''}</td>
                <td class="num">{i.periods.length}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

export function IndicatorFormPage({
  ctx,
  indicator,
  values,
  errors,
  commitmentOptions,
  periodValues,
  periodErrors,
  saved,
  canConfirm,
}: {
  ctx: PageContext;
  indicator: Indicator | undefined;
  values: Values;
  errors: Errors;
  commitmentOptions: { value: string; label: string }[];
  periodValues: Values;
  periodErrors: Errors;
  saved: boolean;
  canConfirm: (side: 'hong-kong' | 'zhejiang') => boolean;
}) {
  const { t } = ctx;
  const title = indicator ? ctx.text(indicator.name) : t('impl.indicator.new');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.indicators'), href: ctx.href('/workspace/indicators') }, { label: title }]}>
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary
        ctx={ctx}
        errors={errors}
        labels={{
          nameHant: t('impl.indicator.name'),
          baseline: t('impl.indicator.baseline'),
          baselineOn: t('impl.indicator.baselineOn'),
          measure: t('impl.indicator.measure'),
          countsEvents: t('impl.indicator.countsEvents'),
          commitment: t('impl.dashboard.commitment'),
        }}
      />
      <Form ctx={ctx} action={ctx.href(indicator ? `/workspace/indicators/${indicator.id}` : '/workspace/indicators/new')}>
        {!indicator && <SelectField ctx={ctx} name="commitment" label={t('impl.dashboard.commitment')} value={values.commitment ?? ''} error={errors.commitment} options={commitmentOptions} />}
        <LocalizedFields ctx={ctx} prefix="name" legend={t('impl.indicator.name')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="unit" legend={t('impl.indicator.unit')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="description" legend={t('impl.form.description')} values={values} errors={errors} multiline />
        <SelectField ctx={ctx} name="measure" label={t('impl.indicator.measure')} value={values.measure ?? 'number'} error={errors.measure} options={MEASURES.map((m) => ({ value: m, label: t(`impl.indicator.measure.${m}`) }))} />
        <SelectField ctx={ctx} name="direction" label={t('impl.indicator.directionLabel')} value={values.direction ?? 'increase'} error={errors.direction} options={DIRECTIONS.map((d) => ({ value: d, label: t(`impl.indicator.direction.${d}`) }))} />
        <SelectField ctx={ctx} name="scope" label={t('impl.indicator.scopeLabel')} value={values.scope ?? 'joint'} error={errors.scope} options={SCOPES.map((s) => ({ value: s, label: t(`impl.indicator.scope.${s}`) }))} />
        <TextField ctx={ctx} name="baseline" label={t('impl.indicator.baseline')} value={values.baseline ?? ''} error={errors.baseline} />
        <TextField ctx={ctx} name="baselineOn" type="date" label={t('impl.indicator.baselineOn')} value={values.baselineOn ?? ''} error={errors.baselineOn} />
        <SelectField
          ctx={ctx}
          name="countsEvents"
          label={t('impl.indicator.countsEvents')}
          hint={t('impl.indicator.countsEventsHint')}
          value={values.countsEvents ?? indicator?.countsEvents ?? ''}
          error={errors.countsEvents}
          options={[{ value: '', label: t('impl.indicator.countsEvents.none') }, ...EVENT_COUNT_CHOICES.map((c) => ({ value: c, label: countedKind(ctx, { countsEvents: c }) }))]}
        />
        <LocalizedFields ctx={ctx} prefix="source" legend={t('impl.indicator.source')} values={values} errors={errors} />
        <button type="submit">{t('impl.save')}</button>
      </Form>
      {indicator && (
        <Section id="periods" title={t('impl.indicator.periods')}>
          <CountedFromEvents ctx={ctx} indicator={indicator} />
          <table>
            <thead>
              <tr>
                <th scope="col">{t('impl.indicator.period')}</th>
                <th scope="col">{t('impl.indicator.target')}</th>
                <th scope="col">{t('impl.indicator.actual')}</th>
              </tr>
            </thead>
            <tbody>
              {indicator.periods.map((p) => (
                <tr>
                  <th scope="row">{periodLabel(ctx, p)}</th>
                  <td class="num">{p.targetValue ?? ctx.text(p.targetText ?? {})}</td>
                  <td>
                    {indicator.countsEvents !== null && <ReadingText ctx={ctx} indicator={indicator} reading={readingOf(indicator, p, ctx.locale)} />}
                    {indicator.countsEvents === null && p.actuals.map((a) => (
                      <div>
                        {sideName(ctx, a.side)}: {a.value ?? ctx.text(a.text ?? {})} {a.confirmedAt ? `(${t('impl.reading.confirmed')})` : ''}
                        {!a.confirmedAt && indicator.scope === 'joint' && canConfirm(a.side) && (
                          <Form ctx={ctx} action={ctx.href(`/workspace/indicators/${indicator.id}/confirm`)} class="inline">
                            <input type="hidden" name="period" value={String(p.id)} />
                            <input type="hidden" name="side" value={a.side} />
                            <button type="submit" class="secondary">
                              {t('impl.reading.confirm')}
                            </button>
                          </Form>
                        )}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('impl.indicator.addPeriod')}</h3>
          <ErrorSummary ctx={ctx} errors={periodErrors} labels={{ startsOn: t('impl.form.startsOn'), endsOn: t('impl.form.endsOn'), target: t('impl.indicator.target') }} />
          <Form ctx={ctx} action={ctx.href(`/workspace/indicators/${indicator.id}/periods`)}>
            <TextField ctx={ctx} name="startsOn" type="date" label={t('impl.form.startsOn')} value={periodValues.startsOn ?? ''} error={periodErrors.startsOn} />
            <TextField ctx={ctx} name="endsOn" type="date" label={t('impl.form.endsOn')} value={periodValues.endsOn ?? ''} error={periodErrors.endsOn} />
            <TextField ctx={ctx} name="target" label={t('impl.indicator.target')} value={periodValues.target ?? ''} error={periodErrors.target} />
            <button type="submit">{t('impl.indicator.savePeriod')}</button>
          </Form>
        </Section>
      )}
    </Layout>
  );
}

export function ProjectAgreementFormPage({
  ctx,
  agreement,
  values,
  errors,
  parties,
  commitments,
  commitmentOptions,
  organisations,
  saved,
  pending,
}: {
  ctx: PageContext;
  agreement: ProjectAgreement | undefined;
  values: Values;
  errors: Errors;
  parties: string[];
  commitments: string[];
  commitmentOptions: { value: string; label: string }[];
  organisations: Organisations;
  saved: boolean;
  /** Documents kept from a refused attempt (files/pending.ts). */
  pending: readonly PendingFile[];
}) {
  const { t } = ctx;
  const title = agreement ? ctx.text(agreement.title) : t('impl.projectAgreement.new');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.projectAgreements'), href: ctx.href('/workspace/project-agreements') }, { label: title }]}>
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ titleHant: t('impl.form.title'), signedOn: t('impl.projectAgreement.signedOnLabel'), parties: t('impl.projectAgreement.parties'), commitments: t('impl.projectAgreement.commitments'), documents: t('impl.documents'), sourceUrl: t('impl.source') }} />
      <form method="post" action={ctx.href(agreement ? `/workspace/project-agreements/${agreement.id}` : '/workspace/project-agreements/new')} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
        {pending.length > 0 && <DefaultSubmit name="intent" value="save" />}
        <LocalizedFields ctx={ctx} prefix="title" legend={t('impl.form.title')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="summary" legend={t('impl.projectAgreement.summary')} values={values} errors={errors} multiline />
        <CheckboxList ctx={ctx} name="parties" legend={t('impl.projectAgreement.parties')} checked={parties} error={errors.parties} options={[...organisations.values()].map((o) => ({ value: o.id, label: ctx.text(o.name) }))} />
        <TextArea ctx={ctx} name="otherParties" label={t('impl.projectAgreement.otherParties')} hint={t('impl.projectAgreement.otherPartiesHint')} value={values.otherParties ?? ''} error={errors.otherParties} rows={3} />
        <TextField ctx={ctx} name="signedOn" type="date" label={t('impl.projectAgreement.signedOnLabel')} value={values.signedOn ?? ''} error={errors.signedOn} />
        <LocalizedFields ctx={ctx} prefix="place" legend={t('impl.projectAgreement.place')} values={values} errors={errors} />
        <TextField ctx={ctx} name="startsOn" type="date" label={t('impl.form.startsOn')} value={values.startsOn ?? ''} error={errors.startsOn} />
        <TextField ctx={ctx} name="endsOn" type="date" label={t('impl.form.endsOn')} value={values.endsOn ?? ''} error={errors.endsOn} />
        <SelectField ctx={ctx} name="status" label={t('impl.form.status')} value={values.status ?? 'signed'} error={errors.status} options={PROJECT_AGREEMENT_STATUSES.map((s) => ({ value: s, label: t(`impl.projectAgreement.status.${s}`) }))} />
        <CheckboxList ctx={ctx} name="commitments" legend={t('impl.projectAgreement.commitments')} checked={commitments} error={errors.commitments} options={commitmentOptions} />
        <TextField ctx={ctx} name="sourceUrl" label={t('impl.source')} value={values.sourceUrl ?? ''} error={errors.sourceUrl} />
        <div class={errors.documents ? 'field field-error' : 'field'}>
          <label for="field-documents">{t('impl.documents')}</label>
          <p class="hint">{t('impl.update.attachmentsHint')}</p>
          {errors.documents && <p class="error-message">{t(`form.error.${errors.documents}` as 'form.error.required')}</p>}
          <input id="field-documents" name="documents" type="file" multiple accept=".pdf,.png,.jpg,.jpeg,.docx,.doc,.odt" />
          <PendingFiles ctx={ctx} field="documents" files={pending} />
        </div>
        <button type="submit">{t('impl.save')}</button>
      </form>
    </Layout>
  );
}

export function MeetingFormPage({
  ctx,
  meeting,
  values,
  errors,
  participants,
  decisions,
  commitmentOptions,
  organisations,
  saved,
}: {
  ctx: PageContext;
  meeting: Meeting | undefined;
  values: Values;
  errors: Errors;
  participants: string[];
  decisions: { number: number; values: Values }[];
  commitmentOptions: { value: string; label: string }[];
  organisations: Organisations;
  saved: boolean;
}) {
  const { t } = ctx;
  const title = meeting ? ctx.text(meeting.title) : t('impl.meeting.new');
  const rows = [...decisions, { number: (decisions.at(-1)?.number ?? 0) + 1, values: {} as Values }];
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.meetings'), href: ctx.href('/workspace/meetings') }, { label: title }]}>
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ titleHant: t('impl.form.title'), heldOn: t('impl.meeting.heldOn'), participants: t('impl.meeting.participants') }} />
      <Form ctx={ctx} action={ctx.href(meeting ? `/workspace/meetings/${meeting.id}` : '/workspace/meetings/new')}>
        <SelectField ctx={ctx} name="type" label={t('impl.meeting.type')} value={values.type ?? 'working-group'} error={errors.type} options={MEETING_TYPES.map((m) => ({ value: m, label: t(`impl.meeting.type.${m}`) }))} />
        <LocalizedFields ctx={ctx} prefix="title" legend={t('impl.form.title')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <TextField ctx={ctx} name="heldOn" type="date" label={t('impl.meeting.heldOn')} value={values.heldOn ?? ''} error={errors.heldOn} />
        <LocalizedFields ctx={ctx} prefix="place" legend={t('impl.projectAgreement.place')} values={values} errors={errors} />
        <CheckboxList ctx={ctx} name="participants" legend={t('impl.meeting.participants')} checked={participants} error={errors.participants} options={[...organisations.values()].map((o) => ({ value: o.id, label: ctx.text(o.name) }))} />
        <LocalizedFields ctx={ctx} prefix="minutes" legend={t('impl.meeting.minutes')} values={values} errors={errors} multiline />
        <fieldset>
          <legend>{t('impl.meeting.decisions')}</legend>
          <p class="hint">{t('impl.meeting.decisionsHint')}</p>
          {rows.map((d) => (
            <fieldset class="decision">
              <legend>{t('impl.meeting.decisionNumber', { n: d.number })}</legend>
              {errors[`decision-${d.number}`] && <p class="error-message">{t('form.error.invalid_choice')}</p>}
              <input type="hidden" name="decisionNumber" value={String(d.number)} />
              <TextArea ctx={ctx} id={`decision-${d.number}-hant`} name={`decision-${d.number}-hant`} label="繁體中文" lang="zh-Hant-HK" value={d.values.hant ?? ''} rows={2} />
              <TextArea ctx={ctx} id={`decision-${d.number}-hans`} name={`decision-${d.number}-hans`} label="简体中文" lang="zh-Hans-CN" value={d.values.hans ?? ''} rows={2} />
              <TextArea ctx={ctx} id={`decision-${d.number}-en`} name={`decision-${d.number}-en`} label="English" lang="en" value={d.values.en ?? ''} rows={2} />
              <SelectField ctx={ctx} id={`decision-${d.number}-commitment`} name={`decision-${d.number}-commitment`} label={t('impl.dashboard.commitment')} value={d.values.commitment ?? ''} options={[{ value: '', label: '–' }, ...commitmentOptions]} />
            </fieldset>
          ))}
        </fieldset>
        <button type="submit">{t('impl.save')}</button>
      </Form>
    </Layout>
  );
}

export function ListPage({ ctx, title, newHref, newLabel, items }: { ctx: PageContext; title: string; newHref: string; newLabel: string; items: { href: string; label: string; meta: string }[] }) {
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: title }]}>
      <h1>{title}</h1>
      <p>
        <a href={newHref}>{newLabel}</a>
      </p>
      <ul>
        {items.map((i) => (
          <li>
            <a href={i.href}>{i.label}</a> <span class="meta">{i.meta}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
