import type { PageContext } from '../../../../platform/html/context.ts';
import { CheckboxList, ErrorSummary, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { Meeting } from '../../queries/meetings.ts';
import { MEETING_TYPES } from '../../schemas.ts';
import type { Organisations } from '../parts.tsx';
import type { Errors, Values } from './shared.ts';

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
    <Layout
      ctx={ctx}
      title={title}
      breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.meetings'), href: ctx.href('/workspace/meetings') }, { label: title }]}
    >
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ titleHant: t('impl.form.title'), heldOn: t('impl.meeting.heldOn'), participants: t('impl.meeting.participants') }} />
      <Form ctx={ctx} action={ctx.href(meeting ? `/workspace/meetings/${meeting.id}` : '/workspace/meetings/new')}>
        <SelectField
          ctx={ctx}
          name="type"
          label={t('impl.meeting.type')}
          value={values.type ?? 'working-group'}
          error={errors.type}
          options={MEETING_TYPES.map((m) => ({ value: m, label: t(`impl.meeting.type.${m}`) }))}
        />
        <LocalizedFields ctx={ctx} prefix="title" legend={t('impl.form.title')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <TextField ctx={ctx} name="heldOn" type="date" label={t('impl.meeting.heldOn')} value={values.heldOn ?? ''} error={errors.heldOn} />
        <LocalizedFields ctx={ctx} prefix="place" legend={t('impl.projectAgreement.place')} values={values} errors={errors} />
        <CheckboxList
          ctx={ctx}
          name="participants"
          legend={t('impl.meeting.participants')}
          checked={participants}
          error={errors.participants}
          options={[...organisations.values()].map((o) => ({ value: o.id, label: ctx.text(o.name) }))}
        />
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
              <SelectField
                ctx={ctx}
                id={`decision-${d.number}-commitment`}
                name={`decision-${d.number}-commitment`}
                label={t('impl.dashboard.commitment')}
                value={d.values.commitment ?? ''}
                options={[{ value: '', label: '–' }, ...commitmentOptions]}
              />
            </fieldset>
          ))}
        </fieldset>
        <button type="submit">{t('impl.save')}</button>
      </Form>
    </Layout>
  );
}
