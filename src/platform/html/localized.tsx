import { LOCALE_INFO, type Locale, type LocalizedText } from '../i18n/locales.ts';
import { displayText } from '../i18n/script.ts';
import type { PageContext } from './context.ts';

/** The notice beside a text not written in the visitor's language: converted by machine, or shown as written. */
function languageNote(ctx: PageContext, shown: { locale: Locale; convertedFrom?: Locale }): string | undefined {
  if (shown.convertedFrom) return ctx.t('text.convertedFrom', { language: LOCALE_INFO[shown.convertedFrom].autonym });
  return shown.locale === ctx.locale ? undefined : ctx.t('text.onlyIn', { language: LOCALE_INFO[shown.locale].autonym });
}

/**
 * A text people wrote, which may exist in only some languages: shown in the visitor's language if it
 * can be, converted by machine from the other Chinese script (and marked so), or else in the first
 * language available, marked with its language and a notice.
 */
export function Localized({ ctx, text }: { ctx: PageContext; text: LocalizedText | null | undefined }) {
  const shown = displayText(text ?? {}, ctx.locale);
  const note = shown.text ? languageNote(ctx, shown) : undefined;
  if (!note) return <>{shown.text}</>;
  return (
    <>
      <span lang={LOCALE_INFO[shown.locale].htmlLang}>{shown.text}</span> <small class="language-note">({note})</small>
    </>
  );
}

/** A multi-paragraph text (narratives, minutes), keeping the author's blank lines as paragraphs. */
export function LocalizedBlock({ ctx, text }: { ctx: PageContext; text: LocalizedText | null | undefined }) {
  const shown = displayText(text ?? {}, ctx.locale);
  if (!shown.text) return null;
  const paragraphs = shown.text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  const note = languageNote(ctx, shown);
  return (
    <div class="prose">
      {note && <p class="language-note">{note}</p>}
      <div lang={shown.locale === ctx.locale ? undefined : LOCALE_INFO[shown.locale].htmlLang}>
        {paragraphs.map((p) => (
          <p>{p}</p>
        ))}
      </div>
    </div>
  );
}
