import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../app.ts';
import { TestClient } from '../../client.ts';
import { DATABASES } from '../../databases.ts';
import { clearRateLimits, ENQUIRY_FIELDS } from '../../../src/modules/enquiries/testing.ts';
import { LOCALE_INFO, LOCALES } from '../../../src/platform/i18n/locales.ts';
import { translator } from '../../../src/platform/i18n/messages.ts';

/** The text of an element's content, tags removed. */
const text = (html: string | undefined) => html?.replace(/<[^>]+>/g, '').trim();

/** The message beside a field and its entry in the error summary, as the visitor reads them. */
function messages(html: string, id: string): { field: string | undefined; summary: string | undefined } {
  return {
    field: text(html.match(new RegExp(`<p class="error-message" id="${id}-error">([^<]*)</p>`))?.[1]),
    summary: text(html.match(new RegExp(`<a href="#${id}">([\\s\\S]*?)</a>`))?.[1])?.replace(/^[^:：]*[:：] ?/, ''),
  };
}

describe.each(DATABASES)('what a form says about a field left empty on %s', (kind) => {
  const t = testAppFor(kind);

  it.each(LOCALES)('asks for the consent box to be ticked, and a topic to be chosen, in the visitor’s language (%s)', async (locale) => {
    const say = translator(locale);
    const prefix = LOCALE_INFO[locale].prefix;
    await clearRateLimits(t.database.db.kysely);
    const citizen = new TestClient(t.app);
    // The second step without the consent box ticked.
    const unticked = await citizen.post(`/${prefix}/enquiries/new`, { ...ENQUIRY_FIELDS, intent: 'submit' }, { from: `/${prefix}/enquiries/new` });
    expect(unticked.statusCode).toBe(200);
    expect(messages(unticked.body, 'field-consent')).toEqual({ field: say('form.error.required_consent'), summary: say('form.error.required_consent') });
    expect(unticked.body).not.toContain(say('form.error.required'));
    // The first step without a topic: a select.
    const noTopic = await citizen.post(`/${prefix}/enquiries/new`, { ...ENQUIRY_FIELDS, topic: '', intent: 'continue' }, { from: `/${prefix}/enquiries/new` });
    expect(noTopic.statusCode).toBe(200);
    expect(messages(noTopic.body, 'field-topic')).toEqual({ field: say('form.error.required_choice'), summary: say('form.error.required_choice') });
  });
});
