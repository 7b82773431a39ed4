import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { adminCrumb } from '../../admin/index.ts';
import type { Organisation } from '../queries.ts';
import { ORGANISATION_TYPES, SIDES } from '../schemas.ts';

export function OrganisationsPage({ ctx, organisations }: { ctx: PageContext; organisations: Organisation[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('orgs.title')} breadcrumbs={[adminCrumb(ctx), { label: t('orgs.title') }]}>
      <h1>{t('orgs.title')}</h1>
      <p>
        <a class="button" href={ctx.href('/admin/organisations/new')}>
          {t('orgs.new')}
        </a>
      </p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('invite.organisation')}</th>
              <th scope="col">{t('orgs.type')}</th>
              <th scope="col">{t('orgs.side')}</th>
            </tr>
          </thead>
          <tbody>
            {organisations.map((o) => (
              <tr>
                <td>
                  <a href={ctx.href(`/admin/organisations/${o.id}`)}>{ctx.text(o.name)}</a>
                  {o.verified[ctx.locale] === false && <span class="muted"> ({t('orgs.unverified')})</span>}
                </td>
                <td>{t(`orgType.${o.type}` as 'orgType.ngo')}</td>
                <td>{t(`side.${o.side}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function OrganisationFormPage({
  ctx,
  existingId,
  values,
  errors,
  organisations,
  saved,
}: {
  ctx: PageContext;
  existingId: string | undefined;
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  organisations: Organisation[];
  saved: boolean;
}) {
  const { t } = ctx;
  const title = existingId ? `${t('orgs.edit')}: ${values.nameEn || values.nameHant || existingId}` : t('orgs.new');
  const labels: Record<string, string> = {
    id: t('orgs.id'),
    nameHant: t('orgs.nameHant'),
    nameHans: t('orgs.nameHans'),
    nameEn: t('orgs.nameEn'),
    type: t('orgs.type'),
    side: t('orgs.side'),
    parentId: t('orgs.parent'),
    abbreviation: t('orgs.abbreviation'),
    website: t('orgs.website'),
    email: t('orgs.email'),
    phone: t('orgs.phone'),
  };
  const text = (name: string, extra: { type?: 'email'; lang?: string } = {}) => (
    <TextField ctx={ctx} name={name} label={labels[name] ?? name} value={values[name] ?? ''} error={errors[name]} {...(extra.type ? { type: extra.type } : {})} />
  );
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[adminCrumb(ctx), { label: t('orgs.title'), href: ctx.href('/admin/organisations') }, { label: title }]}>
      <div class="narrow">
        <h1>{title}</h1>
        {saved && <Notice>{t('orgs.saved')}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
        <Form ctx={ctx} action={ctx.href(existingId ? `/admin/organisations/${existingId}` : '/admin/organisations/new')}>
          {!existingId && text('id')}
          {text('nameHant')}
          {text('nameHans')}
          {text('nameEn')}
          {text('abbreviation')}
          <SelectField
            ctx={ctx}
            name="type"
            label={labels.type as string}
            value={values.type ?? ''}
            error={errors.type}
            options={ORGANISATION_TYPES.map((o) => ({ value: o, label: t(`orgType.${o}`) }))}
          />
          <SelectField ctx={ctx} name="side" label={labels.side as string} value={values.side ?? ''} error={errors.side} options={SIDES.map((s) => ({ value: s, label: t(`side.${s}`) }))} />
          <SelectField
            ctx={ctx}
            name="parentId"
            label={labels.parentId as string}
            value={values.parentId ?? ''}
            error={errors.parentId}
            options={[{ value: '', label: '—' }, ...organisations.filter((o) => o.id !== existingId).map((o) => ({ value: o.id, label: ctx.text(o.name) }))]}
          />
          {text('website')}
          {text('email', { type: 'email' })}
          {text('phone')}
          <button type="submit">{t('orgs.save')}</button>
        </Form>
      </div>
    </Layout>
  );
}
