import * as OpenCC from 'opencc-js';
import { type Locale, type LocalizedText, pick } from './locales.ts';

type Convert = (text: string) => string;
let converters: { 'zh-Hans': Convert; 'zh-Hant': Convert } | undefined;

/** Converts Chinese text to the other script with OpenCC (Hong Kong Traditional ↔ Mainland Simplified). */
export function convertScript(text: string, to: 'zh-Hans' | 'zh-Hant'): string {
  converters ??= { 'zh-Hans': OpenCC.Converter({ from: 'hk', to: 'cn' }), 'zh-Hant': OpenCC.Converter({ from: 'cn', to: 'hk' }) };
  return converters[to](text);
}

/**
 * A user-written text for display: in the visitor's language if it was written in it; written only in
 * the other Chinese script, converted by machine and marked so (`convertedFrom`); otherwise in the
 * first language available (`locale` tells which). Official texts are never shown this way.
 */
export function displayText(text: LocalizedText, locale: Locale): { text: string; locale: Locale; convertedFrom?: Locale } {
  const other: Locale | undefined = locale === 'zh-Hans' ? 'zh-Hant' : locale === 'zh-Hant' ? 'zh-Hans' : undefined;
  if (!text[locale] && other && text[other]) return { text: convertScript(text[other] as string, locale as 'zh-Hans' | 'zh-Hant'), locale, convertedFrom: other };
  return pick(text, locale);
}
