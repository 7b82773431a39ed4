import type { PageContext } from '../../../platform/html/context.ts';
import { Form, Notice, SelectField, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import { adminCrumb } from '../../admin/index.ts';

export interface UserListRow {
  id: string;
  email: string;
  displayName: string;
  verified: boolean;
  disabled: boolean;
  twoFactor: boolean;
}

function Status({ ctx, user }: { ctx: PageContext; user: { verified: boolean; disabled: boolean } }) {
  return <>{user.disabled ? ctx.t('users.disabled') : user.verified ? ctx.t('users.active') : ctx.t('users.unverified')}</>;
}

export function UsersPage({ ctx, query, users }: { ctx: PageContext; query: string; users: UserListRow[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('users.title')} breadcrumbs={[adminCrumb(ctx), { label: t('users.title') }]}>
      <h1>{t('users.title')}</h1>
      <form method="get" action={ctx.href('/admin/users')} class="filters" role="search">
        <TextField ctx={ctx} name="q" label={t('users.search')} value={query} />
        <button type="submit">{t('users.find')}</button>
      </form>
      {users.length === 0 ? (
        <p>{t('users.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('field.displayName')}</th>
                <th scope="col">{t('field.email')}</th>
                <th scope="col">{t('users.status')}</th>
                <th scope="col">{t('account.twoFactor')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr>
                  <td>
                    <a href={ctx.href(`/admin/users/${u.id}`)}>{u.displayName}</a>
                  </td>
                  <td>{u.email}</td>
                  <td>
                    <Status ctx={ctx} user={u} />
                  </td>
                  <td>{u.twoFactor ? t('account.twoFactorOn') : t('account.twoFactorOff')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface UserDetail extends UserListRow {
  roles: { id: number; role: string; organisation: LocalizedText | null }[];
}

export function UserPage({
  ctx,
  user,
  roles,
  organisations,
  notice,
  error,
}: {
  ctx: PageContext;
  user: UserDetail;
  roles: readonly string[];
  organisations: { id: string; name: LocalizedText }[];
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = ctx;
  const base = `/admin/users/${user.id}`;
  return (
    <Layout ctx={ctx} title={user.displayName} breadcrumbs={[adminCrumb(ctx), { label: t('users.title'), href: ctx.href('/admin/users') }, { label: user.displayName }]}>
      <h1>{user.displayName}</h1>
      {notice && <Notice>{notice}</Notice>}
      {error && (
        <p class="error-summary" role="alert">
          {error}
        </p>
      )}
      <dl class="facts">
        <dt>{t('field.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('users.status')}</dt>
        <dd>
          <Status ctx={ctx} user={user} />
        </dd>
        <dt>{t('account.twoFactor')}</dt>
        <dd>{user.twoFactor ? t('account.twoFactorOn') : t('account.twoFactorOff')}</dd>
      </dl>
      <h2>{t('account.roles')}</h2>
      {user.roles.length === 0 ? (
        <p>{t('account.noRoles')}</p>
      ) : (
        <ul class="plain roles">
          {user.roles.map((r) => (
            <li>
              {t(`role.${r.role}` as 'role.resident')}
              {r.organisation ? ` — ${ctx.text(r.organisation)}` : ''}{' '}
              <Form ctx={ctx} action={ctx.href(`${base}/roles/remove`)} class="inline">
                <input type="hidden" name="grant" value={String(r.id)} />
                <button type="submit" class="secondary">
                  {t('users.removeRole')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('users.addRole')}</h2>
      <div class="narrow">
        <Form ctx={ctx} action={ctx.href(`${base}/roles`)}>
          <SelectField ctx={ctx} name="role" label={t('invite.role')} value="" options={roles.map((r) => ({ value: r, label: t(`role.${r}` as 'role.resident') }))} />
          <SelectField
            ctx={ctx}
            name="organisationId"
            label={t('invite.organisation')}
            value=""
            options={[{ value: '', label: '—' }, ...organisations.map((o) => ({ value: o.id, label: ctx.text(o.name) }))]}
          />
          <button type="submit">{t('users.addRole')}</button>
        </Form>
      </div>
      <h2>{t('users.status')}</h2>
      <Form ctx={ctx} action={ctx.href(`${base}/${user.disabled ? 'enable' : 'disable'}`)}>
        <button type="submit" class={user.disabled ? undefined : 'danger'}>
          {user.disabled ? t('users.enable') : t('users.disable')}
        </button>
      </Form>
    </Layout>
  );
}
