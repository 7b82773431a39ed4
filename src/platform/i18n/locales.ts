export const LOCALES = ['zh-Hant', 'zh-Hans', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-Hant';

/** Text in one or more of the platform's languages. */
export type LocalizedText = Partial<Record<Locale, string>>;

interface LocaleInfo {
  /** The URL prefix, e.g. /zh-hant/… */
  prefix: string;
  /** The value of the page's lang attribute. */
  htmlLang: string;
  /** The locale Intl formatters use. */
  intl: string;
  /** The language's name in itself, for the switcher. */
  autonym: string;
}

export const LOCALE_INFO: Record<Locale, LocaleInfo> = {
  'zh-Hant': { prefix: 'zh-hant', htmlLang: 'zh-Hant-HK', intl: 'zh-Hant-HK', autonym: '繁體中文' },
  'zh-Hans': { prefix: 'zh-hans', htmlLang: 'zh-Hans-CN', intl: 'zh-Hans-CN', autonym: '简体中文' },
  en: { prefix: 'en', htmlLang: 'en', intl: 'en-GB', autonym: 'English' },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function localeFromPrefix(prefix: string): Locale | undefined {
  return LOCALES.find((l) => LOCALE_INFO[l].prefix === prefix.toLowerCase());
}

/** Maps a BCP 47 tag (from Accept-Language) to one of ours, or undefined. */
export function localeFromTag(tag: string): Locale | undefined {
  const t = tag.toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (!(t === 'zh' || t.startsWith('zh-'))) return undefined;
  if (t.includes('hans') || /^zh-(cn|sg|my)\b/.test(t)) return 'zh-Hans';
  return 'zh-Hant';
}

/**
 * Picks the text in the wanted locale; otherwise the first available one, saying which.
 * Used for records where one language is enough (the page then shows a notice).
 */
export function pick(text: LocalizedText, locale: Locale): { text: string; locale: Locale } {
  const own = text[locale];
  if (own) return { text: own, locale };
  const order: Locale[] = locale === 'en' ? ['zh-Hant', 'zh-Hans'] : locale === 'zh-Hans' ? ['zh-Hant', 'en'] : ['zh-Hans', 'en'];
  for (const other of order) {
    const value = text[other];
    if (value) return { text: value, locale: other };
  }
  return { text: '', locale };
}
