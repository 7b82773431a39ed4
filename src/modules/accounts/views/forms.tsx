import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, LocaleField, Notice, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';

type Errors<F extends string> = Partial<Record<F, FieldError>>;

function Page({ ctx, title, children }: { ctx: PageContext; title: string; children: preact.ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: title }]}>
      <div class="narrow">
        <h1>{title}</h1>
        {children}
      </div>
    </Layout>
  );
}

export function RegisterPage({ ctx, values, errors, sentTo }: { ctx: PageContext; values: Record<string, string>; errors: Errors<string>; sentTo?: string }) {
  const { t } = ctx;
  const labels = {
    displayName: t('field.displayName'),
    email: t('field.email'),
    password: t('field.password'),
    confirmPassword: t('field.confirmPassword'),
    locale: t('field.locale'),
  };
  return (
    <Page ctx={ctx} title={t('register.title')}>
      {sentTo !== undefined ? <Notice>{t('register.sent', { email: sentTo })}</Notice> : <RegisterForm ctx={ctx} values={values} errors={errors} labels={labels} />}
    </Page>
  );
}

function RegisterForm({
  ctx,
  values,
  errors,
  labels,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: Errors<string>;
  labels: Record<'displayName' | 'email' | 'password' | 'confirmPassword' | 'locale', string>;
}) {
  const { t } = ctx;
  return (
    <>
      <p>{t('register.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={ctx.href('/register')}>
        <TextField ctx={ctx} name="displayName" label={labels.displayName} hint={t('field.displayNameHint')} value={values.displayName ?? ''} error={errors.displayName} autocomplete="name" />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} value={values.email ?? ''} error={errors.email} autocomplete="email" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('field.passwordHint')} error={errors.password} autocomplete="new-password" />
        <TextField ctx={ctx} name="confirmPassword" type="password" label={labels.confirmPassword} error={errors.confirmPassword} autocomplete="new-password" />
        <LocaleField ctx={ctx} label={labels.locale} value={values.locale} error={errors.locale} />
        <button type="submit">{t('register.submit')}</button>
      </Form>
      <p>
        {t('register.haveAccount')} <a href={ctx.href('/login')}>{t('nav.signIn')}</a>
      </p>
    </>
  );
}

export function LoginPage({
  ctx,
  values,
  errors,
  notice,
  oidcLabel,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: Errors<string>;
  notice?: string | undefined;
  oidcLabel?: string | undefined;
}) {
  const { t } = ctx;
  const labels = { email: t('field.email'), password: t('field.password') };
  return (
    <Page ctx={ctx} title={t('login.title')}>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={ctx.href('/login')}>
        <input type="hidden" name="next" value={values.next ?? ''} />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} value={values.email ?? ''} error={errors.email} autocomplete="username" />
        <TextField ctx={ctx} name="password" type="password" label={labels.password} error={errors.password} autocomplete="current-password" />
        <button type="submit">{t('login.submit')}</button>
      </Form>
      {oidcLabel && (
        <>
          <p>{t('login.or')}</p>
          <p>
            <a class="button secondary" href={`/auth/oidc/start?locale=${ctx.locale}${values.next ? `&next=${encodeURIComponent(values.next)}` : ''}`}>
              {t('login.oidc', { label: oidcLabel })}
            </a>
          </p>
        </>
      )}
      <ul class="plain">
        <li>
          <a href={ctx.href('/forgot-password')}>{t('login.forgot')}</a>
        </li>
        <li>
          {t('login.noAccount')} <a href={ctx.href('/register')}>{t('nav.register')}</a>
        </li>
      </ul>
    </Page>
  );
}

export function ForgotPage({ ctx, values, errors, sent }: { ctx: PageContext; values: Record<string, string>; errors: Errors<string>; sent: boolean }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('forgot.title')}>
      {sent ? (
        <Notice>{t('forgot.sent')}</Notice>
      ) : (
        <>
          <p>{t('forgot.intro')}</p>
          <ErrorSummary ctx={ctx} errors={errors} labels={{ email: t('field.email') }} />
          <Form ctx={ctx} action={ctx.href('/forgot-password')}>
            <TextField ctx={ctx} name="email" type="email" label={t('field.email')} value={values.email ?? ''} error={errors.email} autocomplete="email" />
            <button type="submit">{t('forgot.submit')}</button>
          </Form>
        </>
      )}
    </Page>
  );
}

export function ResetPage({ ctx, token, errors, outcome }: { ctx: PageContext; token: string; errors: Errors<string>; outcome?: 'done' | 'invalid' }) {
  const { t } = ctx;
  const labels = { password: t('field.newPassword'), confirmPassword: t('field.confirmPassword') };
  return (
    <Page ctx={ctx} title={t('reset.title')}>
      {outcome === 'done' && (
        <>
          <Notice>{t('reset.done')}</Notice>
          <p>
            <a class="button" href={ctx.href('/login')}>
              {t('nav.signIn')}
            </a>
          </p>
        </>
      )}
      {outcome === 'invalid' && (
        <>
          <p class="notice">{t('reset.invalid')}</p>
          <p>
            <a href={ctx.href('/forgot-password')}>{t('forgot.title')}</a>
          </p>
        </>
      )}
      {!outcome && (
        <>
          <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
          <Form ctx={ctx} action={ctx.href('/reset-password')}>
            <input type="hidden" name="token" value={token} />
            <TextField ctx={ctx} name="password" type="password" label={labels.password} hint={t('field.passwordHint')} error={errors.password} autocomplete="new-password" />
            <TextField ctx={ctx} name="confirmPassword" type="password" label={labels.confirmPassword} error={errors.confirmPassword} autocomplete="new-password" />
            <button type="submit">{t('reset.submit')}</button>
          </Form>
        </>
      )}
    </Page>
  );
}

export function VerifyEmailPage({ ctx, email, resent }: { ctx: PageContext; email: string; resent: boolean }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('verify.title')}>
      {resent && <Notice>{t('verify.resent')}</Notice>}
      <p>{t('verify.sent', { email })}</p>
      <Form ctx={ctx} action={ctx.href('/account/verify-email')}>
        <button type="submit" class="secondary">
          {t('verify.resend')}
        </button>
      </Form>
    </Page>
  );
}

export function VerifyResultPage({ ctx, ok }: { ctx: PageContext; ok: boolean }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('verify.title')}>
      {ok ? <Notice>{t('verify.done')}</Notice> : <p class="notice">{t('verify.invalid')}</p>}
      <p>
        <a href={ctx.href(ctx.principal ? '/account' : '/login')}>{ctx.principal ? t('nav.account') : t('nav.signIn')}</a>
      </p>
    </Page>
  );
}

export function ChangeEmailPage({
  ctx,
  values,
  errors,
  sent,
  needsPassword,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: Errors<string>;
  sent: string | undefined;
  needsPassword: boolean;
}) {
  const { t } = ctx;
  const labels = { newEmail: t('emailChange.newEmail'), password: t('emailChange.currentPassword') };
  return (
    <Page ctx={ctx} title={t('emailChange.title')}>
      {sent ? (
        <Notice>{t('emailChange.sent', { email: sent })}</Notice>
      ) : (
        <>
          <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
          <Form ctx={ctx} action={ctx.href('/account/email')}>
            <TextField ctx={ctx} name="newEmail" type="email" label={labels.newEmail} value={values.newEmail ?? ''} error={errors.newEmail} autocomplete="email" />
            {needsPassword && <TextField ctx={ctx} name="password" type="password" label={labels.password} error={errors.password} autocomplete="current-password" />}
            <button type="submit">{t('emailChange.submit')}</button>
          </Form>
        </>
      )}
    </Page>
  );
}

export function EmailChangedPage({ ctx, email }: { ctx: PageContext; email: string | undefined }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('emailChange.title')}>
      {email ? <Notice>{t('emailChange.done', { email })}</Notice> : <p class="notice">{t('emailChange.invalid')}</p>}
      <p>
        <a href={ctx.href(ctx.principal ? '/account' : '/login')}>{ctx.principal ? t('nav.account') : t('nav.signIn')}</a>
      </p>
    </Page>
  );
}
