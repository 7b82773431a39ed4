import type { PendingFile } from '../../../../platform/files/pending.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { CheckboxList, DefaultSubmit, ErrorSummary, LocalizedFields, Notice, PendingFiles, SelectField, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { ProjectAgreement } from '../../queries/project-agreements.ts';
import { PROJECT_AGREEMENT_STATUSES } from '../../schemas.ts';
import type { Organisations } from '../parts.tsx';
import type { Errors, Values } from './shared.ts';

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
    <Layout
      ctx={ctx}
      title={title}
      breadcrumbs={[{ label: t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: t('impl.projectAgreements'), href: ctx.href('/workspace/project-agreements') }, { label: title }]}
    >
      <h1>{title}</h1>
      {saved && <Notice>{t('impl.saved')}</Notice>}
      <ErrorSummary
        ctx={ctx}
        errors={errors}
        labels={{
          titleHant: t('impl.form.title'),
          signedOn: t('impl.projectAgreement.signedOnLabel'),
          parties: t('impl.projectAgreement.parties'),
          commitments: t('impl.projectAgreement.commitments'),
          documents: t('impl.documents'),
          sourceUrl: t('impl.source'),
        }}
      />
      <form method="post" action={ctx.href(agreement ? `/workspace/project-agreements/${agreement.id}` : '/workspace/project-agreements/new')} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
        {pending.length > 0 && <DefaultSubmit name="intent" value="save" />}
        <LocalizedFields ctx={ctx} prefix="title" legend={t('impl.form.title')} hint={t('impl.form.oneLanguage')} values={values} errors={errors} />
        <LocalizedFields ctx={ctx} prefix="summary" legend={t('impl.projectAgreement.summary')} values={values} errors={errors} multiline />
        <CheckboxList
          ctx={ctx}
          name="parties"
          legend={t('impl.projectAgreement.parties')}
          checked={parties}
          error={errors.parties}
          options={[...organisations.values()].map((o) => ({ value: o.id, label: ctx.text(o.name) }))}
        />
        <TextArea
          ctx={ctx}
          name="otherParties"
          label={t('impl.projectAgreement.otherParties')}
          hint={t('impl.projectAgreement.otherPartiesHint')}
          value={values.otherParties ?? ''}
          error={errors.otherParties}
          rows={3}
        />
        <TextField ctx={ctx} name="signedOn" type="date" label={t('impl.projectAgreement.signedOnLabel')} value={values.signedOn ?? ''} error={errors.signedOn} />
        <LocalizedFields ctx={ctx} prefix="place" legend={t('impl.projectAgreement.place')} values={values} errors={errors} />
        <TextField ctx={ctx} name="startsOn" type="date" label={t('impl.form.startsOn')} value={values.startsOn ?? ''} error={errors.startsOn} />
        <TextField ctx={ctx} name="endsOn" type="date" label={t('impl.form.endsOn')} value={values.endsOn ?? ''} error={errors.endsOn} />
        <SelectField
          ctx={ctx}
          name="status"
          label={t('impl.form.status')}
          value={values.status ?? 'signed'}
          error={errors.status}
          options={PROJECT_AGREEMENT_STATUSES.map((s) => ({ value: s, label: t(`impl.projectAgreement.status.${s}`) }))}
        />
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
