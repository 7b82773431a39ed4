import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';

export interface AccountView {
  email: string;
  displayName: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  roles: { role: string; organisationName: LocalizedText | null }[];
}

export function AccountPage({ ctx, account }: { ctx: PageContext; account: AccountView }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('account.title')} breadcrumbs={[{ label: t('account.title') }]}>
      <h1>{t('account.title')}</h1>
      <dl class="facts">
        <dt>{t('field.displayName')}</dt>
        <dd>{account.displayName}</dd>
        <dt>{t('field.email')}</dt>
        <dd>
          {account.email}
          {' '}
          <a href={ctx.href('/account/email')}>{t('emailChange.title')}</a>
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
    </Layout>
  );
}
