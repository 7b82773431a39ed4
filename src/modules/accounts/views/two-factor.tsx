import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, Form, Notice, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';

export function TwoFactorSetupPage({ ctx, qrSvg, secret, error, enabled }: { ctx: PageContext; qrSvg: string; secret: string; error?: FieldError | undefined; enabled: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('twoFactor.setup.title')} breadcrumbs={[{ label: t('account.title'), href: ctx.href('/account') }, { label: t('twoFactor.setup.title') }]}>
      <div class="narrow">
        <h1>{t('twoFactor.setup.title')}</h1>
        {enabled ? (
          <Notice>{t('twoFactor.enabled')}</Notice>
        ) : (
          <>
            <p>{t('twoFactor.setup.intro')}</p>
            <ErrorSummary ctx={ctx} errors={{ code: error }} labels={{ code: t('field.totpCode') }} />
            <h2>{t('twoFactor.setup.scan')}</h2>
            {/* The SVG is made by the qrcode library from our own URI; it has no script and no style. */}
            <div class="qr" dangerouslySetInnerHTML={{ __html: qrSvg }} />
            <p>{t('twoFactor.setup.manual')}</p>
            <p>
              <code class="secret">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
            <h2>{t('twoFactor.setup.enter')}</h2>
            <Form ctx={ctx} action={ctx.href('/account/two-factor')}>
              <TextField ctx={ctx} name="code" label={t('field.totpCode')} error={error} autocomplete="one-time-code" inputmode="numeric" />
              <button type="submit">{t('twoFactor.setup.submit')}</button>
            </Form>
          </>
        )}
      </div>
    </Layout>
  );
}

export function RecoveryCodesPage({ ctx, codes }: { ctx: PageContext; codes: string[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('twoFactor.codes.title')}>
      <div class="narrow">
        <Notice>{t('twoFactor.enabled')}</Notice>
        <h1>{t('twoFactor.codes.title')}</h1>
        <p>{t('twoFactor.codes.intro')}</p>
        <ul class="recovery-codes">
          {codes.map((c) => (
            <li>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p>
          <a class="button" href={ctx.href('/account')}>
            {t('twoFactor.codes.continue')}
          </a>
        </p>
      </div>
    </Layout>
  );
}

export function TwoFactorChallengePage({
  ctx,
  next,
  errors,
  waitSeconds,
}: {
  ctx: PageContext;
  next: string;
  errors: Partial<Record<'code' | 'recoveryCode', FieldError>>;
  /** Too many wrong codes: how long until the next may be tried. */
  waitSeconds?: number | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('twoFactor.challenge.title')}>
      <div class="narrow">
        <h1>{t('twoFactor.challenge.title')}</h1>
        <p>{t('twoFactor.challenge.intro')}</p>
        {waitSeconds !== undefined && <Notice>{t('throttle.wait', { seconds: waitSeconds })}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} labels={{ code: t('field.totpCode'), recoveryCode: t('field.recoveryCode') }} />
        <Form ctx={ctx} action={ctx.href('/login/two-factor')}>
          <input type="hidden" name="next" value={next} />
          <TextField ctx={ctx} name="code" label={t('field.totpCode')} error={errors.code} autocomplete="one-time-code" inputmode="numeric" />
          <details>
            <summary>{t('twoFactor.challenge.recovery')}</summary>
            <TextField ctx={ctx} name="recoveryCode" label={t('field.recoveryCode')} error={errors.recoveryCode} autocomplete="off" />
          </details>
          <button type="submit">{t('twoFactor.challenge.submit')}</button>
        </Form>
      </div>
    </Layout>
  );
}
