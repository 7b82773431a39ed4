import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, LocaleField, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import { adminCrumb } from '../../admin/index.ts';

export interface PendingInvitation {
  id: string;
  email: string;
  role: string;
  organisation: LocalizedText | null;
  expiresAt: Date;
  invitedBy: string | null;
}

export function InvitationsPage({
  ctx,
  roles,
  organisations,
  pending,
  values,
  errors,
  notice,
}: {
  ctx: PageContext;
  roles: string[];
  organisations: { id: string; name: LocalizedText }[];
  pending: PendingInvitation[];
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  const labels = { email: t('field.email'), displayName: t('field.displayName'), role: t('invite.role'), organisationId: t('invite.organisation'), locale: t('field.locale') };
  return (
    <Layout ctx={ctx} title={t('invite.title')} breadcrumbs={[adminCrumb(ctx), { label: t('invite.title') }]}>
      <h1>{t('invite.title')}</h1>
      <p>{t('invite.intro')}</p>
      {notice && <Notice>{notice}</Notice>}
      <h2>{t('invite.new')}</h2>
      <div class="narrow">
        <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
        <Form ctx={ctx} action={ctx.href('/admin/invitations')}>
          <TextField ctx={ctx} name="email" type="email" label={labels.email} value={values.email ?? ''} error={errors.email} />
          <TextField ctx={ctx} name="displayName" label={labels.displayName} value={values.displayName ?? ''} error={errors.displayName} />
          <SelectField ctx={ctx} name="role" label={labels.role} value={values.role ?? ''} error={errors.role} options={roles.map((r) => ({ value: r, label: t(`role.${r}` as 'role.resident') }))} />
          <SelectField
            ctx={ctx}
            name="organisationId"
            label={labels.organisationId}
            value={values.organisationId ?? ''}
            error={errors.organisationId}
            options={[{ value: '', label: '—' }, ...organisations.map((o) => ({ value: o.id, label: ctx.text(o.name) }))]}
          />
          <LocaleField ctx={ctx} label={labels.locale} value={values.locale} error={errors.locale} />
          <button type="submit">{t('invite.send')}</button>
        </Form>
      </div>
      <h2>{t('invite.pending')}</h2>
      {pending.length === 0 ? (
        <p>{t('invite.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.email')}</th>
                <th scope="col">{t('invite.role')}</th>
                <th scope="col">{t('invite.organisation')}</th>
                <th scope="col">{t('invite.invitedBy')}</th>
                <th scope="col">{t('invite.expires')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('invite.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((p) => (
                <tr>
                  <td>{p.email}</td>
                  <td>{t(`role.${p.role}` as 'role.resident')}</td>
                  <td>{p.organisation ? ctx.text(p.organisation) : '—'}</td>
                  <td>{p.invitedBy ?? '—'}</td>
                  <td>{ctx.date(p.expiresAt.toISOString().slice(0, 10))}</td>
                  <td>
                    <Form ctx={ctx} action={ctx.href('/admin/invitations/withdraw')}>
                      <input type="hidden" name="id" value={p.id} />
                      <button type="submit" class="secondary">
                        {t('invite.revoke')}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export function AcceptInvitationPage({
  ctx,
  token,
  intro,
  state,
  values,
  errors,
}: {
  ctx: PageContext;
  token: string;
  intro: string;
  state: 'new' | 'sign-in' | 'grant' | 'wrong-account' | 'invalid' | 'done';
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
}) {
  const { t } = ctx;
  const labels = { displayName: t('field.displayName'), password: t('field.password'), confirmPassword: t('field.confirmPassword') };
  return (
    <Layout ctx={ctx} title={t('invite.accept.title')} breadcrumbs={[{ label: t('invite.accept.title') }]}>
      <div class="narrow">
        <h1>{t('invite.accept.title')}</h1>
        {state === 'invalid' && <p class="notice">{t('invite.accept.invalid')}</p>}
        {state === 'done' && <Notice>{t('invite.accept.done')}</Notice>}
        {state !== 'invalid' && state !== 'done' && <p>{intro}</p>}
        {state === 'wrong-account' && <p class="notice">{values.wrongAccount}</p>}
        {state === 'sign-in' && (
          <>
            <p>{t('invite.accept.signIn')}</p>
            <p>
              <a class="button" href={`${ctx.href('/login')}?next=${encodeURIComponent(ctx.href(`/invitation?token=${token}`))}`}>
                {t('nav.signIn')}
              </a>
            </p>
          </>
        )}
        {state === 'grant' && (
          <Form ctx={ctx} action={ctx.href('/invitation')}>
            <input type="hidden" name="token" value={token} />
            <button type="submit">{t('invite.accept.grant')}</button>
          </Form>
        )}
        {state === 'new' && (
          <>
            <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
            <Form ctx={ctx} action={ctx.href('/invitation')}>
              <input type="hidden" name="token" value={token} />
              <TextField ctx={ctx} name="displayName" label={labels.displayName} value={values.displayName ?? ''} error={errors.displayName} autocomplete="name" />
              <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('field.passwordHint')} error={errors.password} autocomplete="new-password" />
              <TextField ctx={ctx} name="confirmPassword" type="password" label={labels.confirmPassword} error={errors.confirmPassword} autocomplete="new-password" />
              <button type="submit">{t('invite.accept.submit')}</button>
            </Form>
          </>
        )}
      </div>
    </Layout>
  );
}
