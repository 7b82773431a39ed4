import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { mayReach } from '../auth/authorize.ts';
import { LOCALE_INFO, LOCALES } from '../i18n/locales.ts';
import { localeHref, type PageContext } from './context.ts';
import { renderWithFieldKinds } from './forms.tsx';
import type { ModuleLink } from '../module.ts';

interface Crumb {
  label: string;
  href?: string;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  /** Trail below Home; the last crumb is the current page. */
  breadcrumbs?: Crumb[];
  /** 'print' drops navigation for the print view. */
  variant?: 'default' | 'print';
  children: ComponentChildren;
}

/** The main navigation: every module's entries that the visitor may use. */
function navFor(ctx: PageContext): readonly ModuleLink[] {
  return ctx.nav.filter((link) => link.action === undefined || (ctx.principal !== null && mayReach(ctx.principal, link.action)));
}

function LanguageSwitcher({ ctx }: { ctx: PageContext }) {
  return (
    <nav class="languages" aria-label={ctx.t('language.label')}>
      <ul>
        {LOCALES.map((locale) => (
          <li>
            {locale === ctx.locale ? (
              <span aria-current="true" lang={LOCALE_INFO[locale].htmlLang}>
                {LOCALE_INFO[locale].autonym}
              </span>
            ) : (
              <a href={localeHref(locale, ctx.path)} lang={LOCALE_INFO[locale].htmlLang} hreflang={LOCALE_INFO[locale].htmlLang}>
                {LOCALE_INFO[locale].autonym}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Sign in, or the signed-in person's account and sign-out. */
function AccountMenu({ ctx }: { ctx: PageContext }) {
  const csrf = ctx.principal ? ctx.csrfToken() : undefined;
  return (
    <div class="account-menu">
      {ctx.principal ? (
        <>
          <a href={ctx.href('/account')}>{ctx.principal.user.displayName}</a>
          {csrf && (
            <form method="post" action={ctx.href('/logout')}>
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="link-button">
                {ctx.t('nav.signOut')}
              </button>
            </form>
          )}
        </>
      ) : (
        <a href={ctx.href('/login')}>{ctx.t('nav.signIn')}</a>
      )}
    </div>
  );
}

function Breadcrumbs({ ctx, trail }: { ctx: PageContext; trail: Crumb[] }) {
  const all: Crumb[] = [{ label: ctx.t('nav.home'), href: ctx.href('/') }, ...trail];
  return (
    <nav class="breadcrumbs" aria-label={ctx.t('breadcrumb.label')}>
      <ol>
        {all.map((crumb, i) =>
          i === all.length - 1 || !crumb.href ? (
            <li aria-current={i === all.length - 1 ? 'page' : undefined}>{crumb.label}</li>
          ) : (
            <li>
              <a href={crumb.href}>{crumb.label}</a>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}

function isCurrent(ctx: PageContext, path: string): boolean {
  const here = ctx.path.split('?')[0] ?? '/';
  return path === '/' ? here === '/' : here === path || here.startsWith(`${path}/`);
}

export function Layout({ ctx, title, breadcrumbs, variant = 'default', children }: LayoutProps) {
  const { t } = ctx;
  const siteName = t('site.name');
  return (
    <html lang={LOCALE_INFO[ctx.locale].htmlLang} class={`locale-${LOCALE_INFO[ctx.locale].prefix}`}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === siteName ? siteName : `${title} | ${siteName}`}</title>
        <link rel="stylesheet" href={ctx.assets.url('app.css')} />
        <script src={ctx.assets.url('app.js')} defer />
        {LOCALES.map((locale) => (
          <link rel="alternate" hreflang={LOCALE_INFO[locale].htmlLang} href={localeHref(locale, ctx.path)} />
        ))}
      </head>
      <body class={variant === 'print' ? 'print-view' : undefined}>
        <a class="skip-link" href="#main">
          {t('skip.main')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="site-name" href={ctx.href('/')}>
              {siteName}
            </a>
            <div class="header-tools">
              <LanguageSwitcher ctx={ctx} />
              {variant === 'default' && <AccountMenu ctx={ctx} />}
            </div>
          </div>
          {variant === 'default' && (
            <nav class="site-nav" aria-label={t('nav.label')}>
              <ul class="wrap">
                {navFor(ctx).map((item) => (
                  <li>
                    <a href={ctx.href(item.path)} aria-current={isCurrent(ctx, item.path) ? 'page' : undefined}>
                      {t(item.label)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </header>
        <div class="wrap">
          {breadcrumbs && <Breadcrumbs ctx={ctx} trail={breadcrumbs} />}
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </div>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('footer.about')}</p>
            <p>{t('footer.translation')}</p>
            <ul class="footer-links">
              {ctx.footer.map((link) => (
                <li>
                  <a href={ctx.href(link.path)}>{t(link.label)}</a>
                </li>
              ))}
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Renders a page to a complete HTML document. preact escapes every text and attribute value. */
export function renderPage(vnode: preact.VNode): string {
  return `<!doctype html>${renderWithFieldKinds(() => renderToString(vnode))}`;
}
