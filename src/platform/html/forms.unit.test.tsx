import { describe, expect, it } from 'vitest';
import { Assets } from '../http/assets.ts';
import { LOCALES, type Locale } from '../i18n/locales.ts';
import { translator } from '../i18n/messages.ts';
import { pageContext } from './context.ts';
import { CheckboxField, CheckboxList, ErrorSummary, fieldMessage, LocaleField, RadioList, SelectField, TextArea, TextField } from './forms.tsx';
import { renderPage } from './layout.tsx';

const assets = new Assets();
const page = (locale: Locale) => pageContext(locale, '/form', assets, null, () => 'token');

/** The field's message and the summary's entry for it, as a visitor reads them. */
function messages(html: string, id: string): { field: string | undefined; summary: string | undefined } {
  const text = (s: string | undefined) => s?.replace(/<[^>]+>/g, '').trim();
  const field = html.match(new RegExp(`<p class="error-message" id="${id}-error">([^<]*)</p>`))?.[1];
  const summary = html.match(new RegExp(`<a href="#${id}">([\\s\\S]*?)</a>`))?.[1];
  return { field: text(field), summary: text(summary)?.replace(/^[^:]*: /, '') };
}

/** Every kind of field, left empty ('required', as readForm and use cases say it), in one form behind its summary. */
function Form({ locale }: { locale: Locale }) {
  const ctx = page(locale);
  const errors = {
    text: 'required',
    email: 'required',
    date: 'required',
    time: 'required',
    count: 'required',
    area: 'required',
    level: 'required',
    locale: 'required',
    ok: 'required',
    consent: 'required',
    parties: 'required',
    notes: 'required',
  } as const;
  const labels = Object.fromEntries(Object.keys(errors).map((k) => [k, k]));
  return (
    <main>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <TextField ctx={ctx} name="text" label="text" error={errors.text} />
      <TextField ctx={ctx} name="email" type="email" label="email" error={errors.email} />
      <TextField ctx={ctx} name="date" type="date" label="date" error={errors.date} />
      <TextField ctx={ctx} name="time" type="time" label="time" error={errors.time} />
      <TextField ctx={ctx} name="count" inputmode="numeric" label="count" error={errors.count} />
      <SelectField ctx={ctx} name="area" label="area" value="" blank="—" options={[{ value: '1', label: 'one' }]} error={errors.area} />
      <RadioList ctx={ctx} name="level" legend="level" value="" options={[{ value: '1', label: 'one' }]} error={errors.level} />
      <LocaleField ctx={ctx} label="locale" value="" error={errors.locale} />
      <CheckboxField ctx={ctx} name="ok" label="ok" checked={false} error={errors.ok} />
      <CheckboxField ctx={ctx} name="consent" kind="consent" label="consent" checked={false} error={errors.consent} />
      <CheckboxList ctx={ctx} name="parties" legend="parties" options={[{ value: 'a', label: 'a' }]} checked={[]} error={errors.parties} />
      <TextArea ctx={ctx} name="notes" label="notes" error={errors.notes} />
    </main>
  );
}

describe('the message of a field left empty', () => {
  it.each(LOCALES)('follows from the kind of field, beside it and in the summary alike (%s)', (locale) => {
    const t = translator(locale);
    const html = renderPage(<Form locale={locale} />);
    const expected: Record<string, string> = {
      text: t('form.error.required'),
      email: t('form.error.required_email'),
      date: t('form.error.required_date'),
      time: t('form.error.required_time'),
      count: t('form.error.required_number'),
      area: t('form.error.required_choice'),
      level: t('form.error.required_choice'),
      locale: t('form.error.required_choice'),
      ok: t('form.error.required_checkbox'),
      consent: t('form.error.required_consent'),
      parties: t('form.error.required_checkboxes'),
      notes: t('form.error.required'),
    };
    for (const [name, message] of Object.entries(expected)) {
      expect(messages(html, `field-${name}`), name).toEqual({ field: message, summary: message });
    }
    // Only text is "Enter this": no box, choice or file is told to "enter" anything.
    const enterThis = [...html.matchAll(new RegExp(t('form.error.required'), 'g'))].length;
    expect(enterThis).toBe(4);
  });

  it('is written in each language in its own words', () => {
    expect(translator('en')('form.error.required_checkbox')).toBe('Tick this box to continue');
    expect(translator('zh-Hant')('form.error.required_choice')).toBe('請選擇一項');
    expect(translator('zh-Hans')('form.error.required_choice')).toBe('请选择一项');
    expect(translator('en')('form.error.required_file')).toBe('Choose a file');
    expect(translator('en')('form.error.required_number')).toBe('Enter a number');
    for (const locale of LOCALES) {
      const t = translator(locale);
      const kinds = ['email', 'date', 'time', 'number', 'choice', 'checkbox', 'checkboxes', 'file', 'consent'] as const;
      const texts = kinds.map((k) => t(`form.error.required_${k}`));
      expect(new Set(texts).size, locale).toBe(kinds.length);
      for (const text of texts) expect(text).not.toBe(t('form.error.required'));
    }
  });

  it("uses a module's own control's kind as well, once it says it", () => {
    const ctx = page('en');
    const FilesField = () => (
      <div>
        <p class="error-message" id="field-files-error">
          {fieldMessage(ctx, 'field-files', 'required', 'file')}
        </p>
        <input id="field-files" type="file" />
      </div>
    );
    const html = renderPage(
      <main>
        <ErrorSummary ctx={ctx} errors={{ files: 'required' }} labels={{ files: 'Files' }} />
        <FilesField />
      </main>,
    );
    expect(messages(html, 'field-files')).toEqual({ field: 'Choose a file', summary: 'Choose a file' });
  });
});
