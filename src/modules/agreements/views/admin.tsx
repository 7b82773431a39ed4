import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { adminCrumb } from '../../admin/index.ts';

export function AgreementLifecyclePage({
  ctx,
  agreementId,
  values,
  errors,
  saved,
}: {
  ctx: PageContext;
  agreementId: string;
  values: { status: string; renewedBy: string; note: string };
  errors: Partial<Record<'status' | 'renewedBy' | 'note', FieldError>>;
  saved: boolean;
}) {
  const { t } = ctx;
  const labels = { status: t('admin.agreement.status'), renewedBy: t('admin.agreement.renewedBy'), note: t('admin.agreement.note') };
  return (
    <Layout ctx={ctx} title={t('admin.agreement.title')} breadcrumbs={[adminCrumb(ctx), { label: t('admin.agreement.title') }]}>
      <div class="narrow">
        <h1>{t('admin.agreement.title')}</h1>
        <p>{t('admin.agreement.intro')}</p>
        <p>
          <a href={ctx.href(`/agreements/${agreementId}`)}>{agreementId}</a>
        </p>
        {saved && <Notice>{t('admin.agreement.saved')}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
        <Form ctx={ctx} action={ctx.href(`/admin/agreements/${agreementId}`)}>
          <SelectField
            ctx={ctx}
            name="status"
            label={labels.status}
            value={values.status}
            error={errors.status}
            options={[
              { value: 'none', label: t('admin.agreement.none') },
              { value: 'negotiating', label: t('renewal.negotiating') },
              { value: 'renewed', label: t('renewal.renewed', { agreement: '…' }) },
              { value: 'lapsed', label: t('renewal.lapsed') },
            ]}
          />
          <TextField ctx={ctx} name="renewedBy" label={labels.renewedBy} value={values.renewedBy} error={errors.renewedBy} />
          <TextField ctx={ctx} name="note" label={labels.note} value={values.note} error={errors.note} />
          <button type="submit">{t('admin.agreement.save')}</button>
        </Form>
      </div>
    </Layout>
  );
}
