import type { PageContext } from '../../../../platform/html/context.ts';
import { CheckboxList, ErrorSummary, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import { Localized } from '../../../../platform/html/localized.tsx';
import { type AreaInfo, commitmentCode, commitmentLabel, type CommitmentKey } from '../../../agreements/index.ts';
import type { Action } from '../../queries/actions.ts';
import type { Milestone } from '../../queries/milestones.ts';
import type { ProgressUpdate } from '../../queries/updates.ts';
import { ACTION_STATUSES, MILESTONE_STATUSES } from '../../schemas.ts';
import { actionPath, MilestoneBadge, orgName, type Organisations, Section } from '../parts.tsx';
import { type Errors, stateKey, type Values } from './shared.ts';

function ActionFormFields({
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
      <SelectField
        ctx={ctx}
        name="status"
        label={t('impl.form.status')}
        value={values.status ?? 'planned'}
        error={errors.status}
        options={ACTION_STATUSES.map((s) => ({ value: s, label: t(`impl.status.${s}`) }))}
      />
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
      <ErrorSummary
        ctx={ctx}
        errors={errors}
        labels={{
          titleHant: t('impl.form.title'),
          leadHongKong: t('impl.leadHongKong'),
          leadZhejiang: t('impl.leadZhejiang'),
          statusReason: t('impl.form.statusReason'),
          startsOn: t('impl.form.startsOn'),
          endsOn: t('impl.form.endsOn'),
          partners: t('impl.partners'),
          parentId: t('impl.form.parent'),
        }}
      />
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
                  <time datetime={m.dueOn}>{ctx.date(m.dueOn)}</time> <Localized ctx={ctx} text={m.title} />{' '}
                  <MilestoneBadge ctx={ctx} status={m.status} overdue={m.status === 'scheduled' && m.dueOn < today} />
                </summary>
                <MilestoneForm
                  ctx={ctx}
                  action={ctx.href(`/workspace/milestones/${m.id}`)}
                  idPrefix={`m${m.id}`}
                  values={milestoneErrors._id === String(m.id) ? milestoneValues : milestoneFormValues(m)}
                  errors={milestoneErrors._id === String(m.id) ? milestoneErrors : {}}
                />
              </details>
            ))}
            <h3>{t('impl.milestone.add')}</h3>
            <MilestoneForm
              ctx={ctx}
              action={ctx.href(`/workspace/actions/${action.id}/milestones`)}
              idPrefix="new"
              values={milestoneErrors._id === 'new' ? milestoneValues : { status: 'scheduled' }}
              errors={milestoneErrors._id === 'new' ? milestoneErrors : {}}
            />
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
  const field = (name: string, label: string, type: 'text' | 'date' = 'text', lang?: string) => (
    <TextField ctx={ctx} id={id(name)} name={name} type={type} label={label} value={values[name] ?? ''} error={errors[name]} {...(lang ? { lang } : {})} />
  );
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
      <SelectField
        ctx={ctx}
        id={id('status')}
        name="status"
        label={t('impl.milestone.status')}
        value={values.status ?? 'scheduled'}
        error={errors.status}
        options={MILESTONE_STATUSES.map((s) => ({ value: s, label: t(`impl.milestone.${s}`) }))}
      />
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
