import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';

export interface AccountView {
  email: string;
  displayName: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  roles: { role: string; organisationName: LocalizedText | null }[];
  /** Whether a request to represent an organisation is waiting. */
  representationPending: boolean;
}

export interface RepresentForm {
  organisations: { id: string; name: LocalizedText }[];
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  sent: boolean;
}

function Represent({ ctx, account, form }: { ctx: PageContext; account: AccountView; form: RepresentForm }) {
  const { t } = ctx;
  const labels = { organisationId: t('represent.organisation'), organisationName: t('represent.organisationName'), position: t('represent.position') };
  return (
    <section aria-labelledby="represent">
      <h2 id="represent">{t('represent.title')}</h2>
      {form.sent && <Notice>{t('represent.sent')}</Notice>}
      {account.representationPending && !form.sent && <p class="notice">{t('represent.pending')}</p>}
      <p>{t('represent.intro')}</p>
      <div class="narrow">
        <ErrorSummary ctx={ctx} errors={form.errors} labels={labels} />
        <Form ctx={ctx} action={ctx.href('/account/represent')}>
          <SelectField
            ctx={ctx}
            name="organisationId"
            label={labels.organisationId}
            value={form.values.organisationId ?? ''}
            error={form.errors.organisationId}
            options={[{ value: '', label: '—' }, ...form.organisations.map((o) => ({ value: o.id, label: ctx.text(o.name) }))]}
          />
          <TextField ctx={ctx} name="organisationName" label={labels.organisationName} value={form.values.organisationName ?? ''} error={form.errors.organisationName} autocomplete="organization" />
          <TextField ctx={ctx} name="position" label={labels.position} value={form.values.position ?? ''} error={form.errors.position} autocomplete="organization-title" />
          <button type="submit">{t('represent.submit')}</button>
        </Form>
      </div>
    </section>
  );
}

export function AccountPage({ ctx, account, represent }: { ctx: PageContext; account: AccountView; represent: RepresentForm }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('account.title')} breadcrumbs={[{ label: t('account.title') }]}>
      <h1>{t('account.title')}</h1>
      <dl class="facts">
        <dt>{t('field.displayName')}</dt>
        <dd>{account.displayName}</dd>
        <dt>{t('field.email')}</dt>
        <dd>
          {account.email} <a href={ctx.href('/account/email')}>{t('emailChange.title')}</a>
        </dd>
        <dt>{t('account.roles')}</dt>
        <dd>
          {account.roles.length === 0 ? (
            t('account.noRoles')
          ) : (
            <ul class="plain">
              {account.roles.map((r) => (
                <li>
                  {t(`role.${r.role}` as 'role.resident')}
                  {r.organisationName ? ` — ${ctx.text(r.organisationName)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('account.twoFactor')}</dt>
        <dd>
          {account.twoFactorEnabled ? t('account.twoFactorOn') : t('account.twoFactorOff')}
          {!account.twoFactorEnabled && (
            <>
              {' '}
              <a href={ctx.href('/account/two-factor')}>{t('twoFactor.setup.title')}</a>
            </>
          )}
        </dd>
      </dl>
      <p>
        <a href={ctx.href('/enquiries/mine')}>{t('enq.mine.title')}</a> · <a href={ctx.href('/events/mine')}>{t('events.mine.title')}</a>
      </p>
      <Represent ctx={ctx} account={account} form={represent} />
    </Layout>
  );
}
