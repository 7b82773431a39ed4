import type { Locale } from './locales.ts';
import { platformMessages } from './platform-messages.ts';

/** A message: a text, or a function of its parameters. */
export type Message = string | ((params: never) => string);

/** A catalogue with the keys of `E` and, per key, the same parameters (what every language must give). */
export type Shape<E> = { [K in keyof E]: E[K] extends (p: infer P) => string ? (p: P) => string : string };

/** The platform's own messages (platform-messages.ts); each module declares its own in its messages.ts. */
type PlatformMessages = typeof platformMessages.en;

/**
 * Every message key with its parameters: the platform's own, and each module's, which a module adds by
 * declaration merging in its messages.ts (`declare module … { interface MessageCatalogue extends … {} }`).
 * @public
 */
export interface MessageCatalogue extends PlatformMessages {}

export type MessageKey = keyof MessageCatalogue & string;
/** The key of a message that takes no parameters. */
export type PlainMessageKey = { [K in MessageKey]: MessageCatalogue[K] extends string ? K : never }[MessageKey];
/** The key of a message that takes exactly these parameters. */
export type MessageKeyWith<P> = { [K in MessageKey]: MessageCatalogue[K] extends (params: P) => string ? (P extends Parameters<MessageCatalogue[K]>[0] ? K : never) : never }[MessageKey];
/** A message that says how many of something there are: it takes `{ n }`. */
export type CountMessageKey = MessageKeyWith<{ n: number }>;
type Params<K extends MessageKey> = MessageCatalogue[K] extends (p: infer P) => string ? [P] : [];

/** A module's messages in the three languages side by side; the English keys and parameters define the shape. */
export interface ModuleMessages {
  en: Readonly<Record<string, Message>>;
  'zh-Hant': Readonly<Record<string, Message>>;
  'zh-Hans': Readonly<Record<string, Message>>;
}

/** Declares a module's messages: each language must have English's keys, with the same parameters. */
export function defineMessages<E extends Record<string, Message>>(messages: {
  en: E;
  'zh-Hant': Shape<NoInfer<E>>;
  'zh-Hans': Shape<NoInfer<E>>;
}): { en: E; 'zh-Hant': Shape<E>; 'zh-Hans': Shape<E> } {
  return messages;
}

/** Every language's catalogue: the platform's messages, to which installModules adds each module's. */
const catalogues: Record<Locale, Record<string, Message>> = { 'zh-Hant': { ...platformMessages['zh-Hant'] }, 'zh-Hans': { ...platformMessages['zh-Hans'] }, en: { ...platformMessages.en } };

/** Adds a module's messages (installModules does, once per manifest); a key declared twice is refused. */
export function registerMessages(messages: ModuleMessages): void {
  for (const locale of Object.keys(catalogues) as Locale[]) {
    const catalogue = catalogues[locale];
    for (const [key, message] of Object.entries(messages[locale])) {
      if (key in catalogue && catalogue[key] !== message) throw new Error(`The message ${key} is declared twice`);
      catalogue[key] = message;
    }
  }
}

export type Translate = <K extends MessageKey>(key: K, ...params: Params<K>) => string;

export function translator(locale: Locale): Translate {
  const messages = catalogues[locale];
  return (key, ...params) => {
    const message = messages[key] as string | ((p: unknown) => string) | undefined;
    if (message === undefined) throw new Error(`No catalogue has the message ${key}`);
    return typeof message === 'function' ? message(params[0]) : message;
  };
}
