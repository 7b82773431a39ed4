import type { PageContext } from '../../../platform/html/context.ts';
import { Form, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import { adminCrumb } from '../../admin/index.ts';

export interface PendingRepresentation {
  id: number;
  person: string;
  email: string;
  organisation: LocalizedText | null;
  organisationName: string | null;
  position: string;
}

export function RepresentationRequestsPage({
  ctx,
  requests,
  organisations,
  notice,
  error,
}: {
  ctx: PageContext;
  requests: PendingRepresentation[];
  organisations: { id: string; name: LocalizedText }[];
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('represent.admin.title')} breadcrumbs={[adminCrumb(ctx), { label: t('represent.admin.title') }]}>
      <h1>{t('represent.admin.title')}</h1>
      {notice && <Notice>{notice}</Notice>}
      {error && (
        <p class="error-summary" role="alert">
          {error}
        </p>
      )}
      {requests.length === 0 && <p>{t('represent.admin.none')}</p>}
      {requests.map((r) => (
        <article class="mail" id={`request-${r.id}`}>
          <h2>
            {r.person} ({r.email})
          </h2>
          <p>
            {r.organisation ? ctx.text(r.organisation) : r.organisationName} — {r.position}
          </p>
          <div class="narrow">
            <Form ctx={ctx} action={ctx.href(`/admin/representation-requests/${r.id}`)}>
              <input type="hidden" name="decision" value="approve" />
              {!r.organisation && (
                <SelectField
                  ctx={ctx}
                  id={`organisation-${r.id}`}
                  name="organisationId"
                  label={t('invite.organisation')}
                  value=""
                  options={[{ value: '', label: '—' }, ...organisations.map((o) => ({ value: o.id, label: ctx.text(o.name) }))]}
                />
              )}
              <button type="submit">{t('represent.admin.approve')}</button>
            </Form>
            <Form ctx={ctx} action={ctx.href(`/admin/representation-requests/${r.id}`)}>
              <input type="hidden" name="decision" value="reject" />
              <TextField ctx={ctx} id={`reason-${r.id}`} name="reason" label={t('represent.admin.reason')} />
              <button type="submit" class="secondary">
                {t('represent.admin.reject')}
              </button>
            </Form>
          </div>
        </article>
      ))}
    </Layout>
  );
}
