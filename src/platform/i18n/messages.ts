import type { Locale } from './locales.ts';
import { en } from './messages/en.ts';
import { zhHans } from './messages/zh-Hans.ts';
import { zhHant } from './messages/zh-Hant.ts';

type Catalogue = typeof en;
/** Every catalogue has English's keys, with the same parameters. */
export type Messages = { [K in keyof Catalogue]: Catalogue[K] extends (p: infer P) => string ? (p: P) => string : string };
export type MessageKey = keyof Messages;
type Params<K extends MessageKey> = Messages[K] extends (p: infer P) => string ? [P] : [];

const catalogues: Record<Locale, Messages> = { 'zh-Hant': zhHant, 'zh-Hans': zhHans, en };

export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

export function translator(locale: Locale): Translate {
  const messages = catalogues[locale];
  return (key, ...params) => {
    const message = messages[key] as string | ((p: unknown) => string);
    return typeof message === 'function' ? message(params[0]) : message;
  };
}
