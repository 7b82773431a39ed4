import type { Principal } from '../auth/roles.ts';
import type { Assets } from '../http/assets.ts';
import { LOCALE_INFO, type Locale, type LocalizedText, pick } from '../i18n/locales.ts';
import { type Translate, translator } from '../i18n/messages.ts';
import type { ModuleLink, Navigation } from '../module.ts';

/** What every page template receives: the visitor's language and helpers bound to it. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** The path below the language prefix, with its query string: '/events?type=forum'. */
  path: string;
  assets: Assets;
  /** 'YYYY-MM-DD' -> a date as the language writes it. */
  date(value: string): string;
  /** A link to a page in the current language: href('/agreements') -> '/en/agreements'. */
  href(path: string): string;
  /** The text of a multilingual field in the visitor's language (or the nearest available). */
  text(value: LocalizedText): string;
  /** Who is signed in, if anyone. */
  principal: Principal | null;
  /** A CSRF token for a form on this page; undefined where none can be made (error pages). */
  csrfToken(): string | undefined;
  /** The main navigation's entries, every module's (the layout shows those the principal may use). */
  nav: readonly ModuleLink[];
  /** The footer's links, every module's. */
  footer: readonly ModuleLink[];
}

const dateFormats = new Map(Object.entries(LOCALE_INFO).map(([locale, info]) => [locale, new Intl.DateTimeFormat(info.intl, { dateStyle: 'long', timeZone: 'UTC' })]));
const translators = new Map(Object.keys(LOCALE_INFO).map((locale) => [locale, translator(locale as Locale)]));

/** Made for every page request, so its helpers live on the prototype rather than in fresh closures. */
class Context implements PageContext {
  readonly t: Translate;
  readonly nav: readonly ModuleLink[];
  readonly footer: readonly ModuleLink[];
  private csrf: string | undefined;
  constructor(
    readonly locale: Locale,
    readonly path: string,
    readonly assets: Assets,
    readonly principal: Principal | null,
    private readonly makeCsrf: (() => string) | undefined,
    navigation: Navigation,
  ) {
    this.t = translators.get(locale) as Translate;
    this.nav = navigation.main;
    this.footer = navigation.footer;
  }

  csrfToken(): string | undefined {
    this.csrf ??= this.makeCsrf?.();
    return this.csrf;
  }

  date(value: string): string {
    return (dateFormats.get(this.locale) as Intl.DateTimeFormat).format(new Date(`${value}T00:00:00Z`));
  }

  href(path: string): string {
    return localeHref(this.locale, path);
  }

  text(value: LocalizedText): string {
    return pick(value, this.locale).text;
  }
}

const NO_LINKS: Navigation = { main: [], footer: [] };

export function pageContext(locale: Locale, path: string, assets: Assets, principal: Principal | null = null, makeCsrf?: () => string, navigation: Navigation = NO_LINKS): PageContext {
  return new Context(locale, path, assets, principal, makeCsrf, navigation);
}

export function localeHref(locale: Locale, path: string): string {
  return `/${LOCALE_INFO[locale].prefix}${path === '/' ? '/' : path}`;
}
