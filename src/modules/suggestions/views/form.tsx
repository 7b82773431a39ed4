import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../platform/html/context.ts';
import { CheckboxField, ErrorSummary, Form, HoneypotField, LocaleField, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { HONEYPOT_FIELD } from '../../../platform/http/honeypot.ts';
import { SUBMITTER_TYPES } from '../schemas.ts';

/**
 * The form a suggestion is sent with, under the summary of its mistakes: what it is about (the
 * suggestion form's subject field; none where the page gives the subject, as feedback on an event
 * does), its text and language, the sender's details, the privacy statement with the consent box, and
 * the honeypot.
 */
export function SuggestionForm({
  ctx,
  action,
  values,
  errors,
  purgeAfterMonths,
  subject,
  hints = {},
  submit,
}: {
  ctx: PageContext;
  /** Where it is sent, with the language prefix. */
  action: string;
  values: Record<string, string>;
  errors: Partial<Record<string, FieldError>>;
  /** How long the sender's details are kept once the suggestion is closed, as the privacy statement says. */
  purgeAfterMonths: number;
  /** The field choosing the subject, first in the form, and its label for the summary of mistakes. */
  subject?: { label: string; field: ComponentChildren };
  /** Hints under the title and the text, where the page asks for something particular. */
  hints?: { title?: string; body?: string };
  /** The text of the submit button. */
  submit: string;
}) {
  const { t } = ctx;
  const labels = {
    ...(subject ? { subject: subject.label } : {}),
    title: t('suggestions.form.title'),
    body: t('suggestions.form.body'),
    locale: t('suggestions.form.language'),
    submitterType: t('suggestions.form.submitterType'),
    organisation: t('suggestions.form.organisation'),
    name: t('suggestions.form.name'),
    email: t('suggestions.form.email'),
    consent: t('suggestions.privacy.title'),
    [HONEYPOT_FIELD]: t('form.honeypot'),
  };
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={action}>
        {subject?.field}
        <TextField ctx={ctx} name="title" label={labels.title} hint={hints.title} value={values.title ?? ''} error={errors.title} />
        <TextArea ctx={ctx} name="body" label={labels.body} hint={hints.body ?? t('suggestions.form.bodyHint')} value={values.body ?? ''} error={errors.body} rows={10} />
        <LocaleField ctx={ctx} label={labels.locale} value={values.locale} error={errors.locale} />
        <SelectField
          ctx={ctx}
          name="submitterType"
          label={labels.submitterType}
          value={values.submitterType ?? ''}
          error={errors.submitterType}
          options={[{ value: '', label: '—' }, ...SUBMITTER_TYPES.map((s) => ({ value: s, label: t(`suggestions.submitter.${s}`) }))]}
        />
        <TextField
          ctx={ctx}
          name="organisation"
          label={labels.organisation}
          hint={t('suggestions.form.organisationHint')}
          value={values.organisation ?? ''}
          error={errors.organisation}
          autocomplete="organization"
        />
        <TextField ctx={ctx} name="name" label={labels.name} hint={t('suggestions.form.nameHint')} value={values.name ?? ''} error={errors.name} autocomplete="name" />
        <TextField ctx={ctx} name="email" type="email" label={labels.email} hint={t('suggestions.form.emailHint')} value={values.email ?? ''} error={errors.email} autocomplete="email" />
        <section aria-labelledby="privacy">
          <h2 id="privacy">{labels.consent}</h2>
          <p>{t('suggestions.privacy.statement', { months: purgeAfterMonths })}</p>
          <CheckboxField ctx={ctx} name="consent" kind="consent" label={t('suggestions.form.consent')} checked={values.consent === 'yes'} error={errors.consent} />
        </section>
        <HoneypotField ctx={ctx} value={values[HONEYPOT_FIELD]} />
        <button type="submit">{submit}</button>
      </Form>
    </>
  );
}
