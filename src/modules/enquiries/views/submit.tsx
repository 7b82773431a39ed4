import type { PageContext } from '../../../platform/html/context.ts';
import { CheckboxField, DefaultSubmit, ErrorSummary, Form, HoneypotField, LocaleField, PendingFiles, SelectField, TextArea, TextField } from '../../../platform/html/forms.tsx';
import type { PendingFile } from '../../../platform/files/pending.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldsOf } from '../../../platform/http/forms.ts';
import { HONEYPOT_FIELD } from '../../../platform/http/honeypot.ts';
import { LOCALE_INFO, type Locale } from '../../../platform/i18n/locales.ts';
import { displayText } from '../../../platform/i18n/script.ts';
import { snippet } from '../../../platform/search/highlight.ts';
import type { SearchHit } from '../../../platform/search/index.ts';
import type { QueueRow } from '../queries/queue.ts';
import type { Topic } from '../queries/topics.ts';
import { ENQUIRY_TYPES } from '../schemas.ts';
import { ENQUIRY_FORM } from '../submit-enquiry.ts';
import { AttachmentsField, DueText, type Errors, languageName, RadioList, Section, StateBadge, topicName, typeName, type Values } from './parts.tsx';

const FIELDS = Object.keys(ENQUIRY_FORM.properties) as FieldsOf<typeof ENQUIRY_FORM>[];

function labels(ctx: PageContext): Record<string, string> {
  const { t } = ctx;
  return {
    type: t('enq.field.type'),
    topic: t('enq.field.topic'),
    subject: t('enq.field.subject'),
    description: t('enq.field.description'),
    locale: t('enq.field.locale'),
    name: t('enq.field.name'),
    email: t('enq.field.email'),
    phone: t('enq.field.phone'),
    consent: t('enq.field.consent'),
    attachments: t('enq.attachments'),
    [HONEYPOT_FIELD]: t('form.honeypot'),
  };
}

const crumbs = (ctx: PageContext, title: string) => [{ label: ctx.t('enq.help'), href: ctx.href('/help') }, { label: title }];

/** Step 1: what the enquiry is about, and who to reply to. */
export function NewEnquiryPage({ ctx, topics, values, errors }: { ctx: PageContext; topics: Topic[]; values: Values; errors: Errors }) {
  const { t } = ctx;
  const title = t('enq.new.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <p class="lead">{t('enq.new.intro')}</p>
      <p>
        {t('enq.new.suggestion')} <a href={ctx.href('/suggestions/new')}>{t('enq.new.suggestionLink')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels(ctx)} />
      <Form ctx={ctx} action={ctx.href('/enquiries/new')} class="enquiry-form">
        <RadioList
          ctx={ctx}
          name="type"
          legend={t('enq.field.type')}
          value={values.type ?? ''}
          error={errors.type}
          options={ENQUIRY_TYPES.map((type) => ({ value: type, label: typeName(ctx, type), hint: t(`enq.type.${type}.hint`) }))}
        />
        <SelectField
          ctx={ctx}
          name="topic"
          label={t('enq.field.topic')}
          value={values.topic ?? ''}
          error={errors.topic}
          options={[{ value: '', label: t('enq.field.topic.choose') }, ...topics.map((topic) => ({ value: topic.key, label: ctx.text(topic.name) }))]}
        />
        <TextField ctx={ctx} name="subject" label={t('enq.field.subject')} hint={t('enq.field.subject.hint')} value={values.subject} error={errors.subject} />
        <TextArea ctx={ctx} name="description" label={t('enq.field.description')} hint={t('enq.field.description.hint')} value={values.description} error={errors.description} rows={8} />
        <LocaleField ctx={ctx} label={t('enq.field.locale')} value={values.locale} error={errors.locale} />
        <fieldset class="contact">
          <legend>{t('enq.contact')}</legend>
          <TextField ctx={ctx} name="name" label={t('enq.field.name')} value={values.name} error={errors.name} autocomplete="name" />
          <TextField ctx={ctx} name="email" type="email" label={t('enq.field.email')} hint={t('enq.field.email.hint')} value={values.email} error={errors.email} autocomplete="email" />
          <TextField ctx={ctx} name="phone" label={t('enq.field.phone')} value={values.phone} error={errors.phone} autocomplete="tel" />
        </fieldset>
        <HoneypotField ctx={ctx} value={values[HONEYPOT_FIELD] ?? ''} />
        <div class="buttons">
          <button type="submit" name="intent" value="continue">
            {t('enq.continue')}
          </button>
        </div>
      </Form>
    </Layout>
  );
}

/** A matching article: its title and the passage that matched, in the page's language where it can be. */
function MatchingArticle({ ctx, hit, query }: { ctx: PageContext; hit: SearchHit; query: string }) {
  const title = displayText(hit.title, ctx.locale);
  const body = displayText(hit.body, ctx.locale);
  const lang = (l: Locale) => (l === ctx.locale ? undefined : LOCALE_INFO[l].htmlLang);
  const href = ctx.href(`/help/articles/${encodeURIComponent(hit.key)}`);
  return (
    <li>
      <h3 lang={lang(title.locale)}>
        <a href={href}>{title.text}</a>
      </h3>
      <p lang={lang(body.locale)}>{snippet(body.text, query).map((s) => (s.match ? <mark>{s.text}</mark> : s.text))}</p>
      <p>
        <a class="button secondary" href={href}>
          {ctx.t('enq.match.answers')}
          <span class="visually-hidden">: {title.text}</span>
        </a>
      </p>
    </li>
  );
}

/**
 * Step 2: articles that may answer the question, what was typed (kept in the form), the files, and
 * consent to the personal-data statement.
 */
export function ConfirmEnquiryPage({
  ctx,
  topics,
  values,
  errors,
  matches,
  query,
  purgeMonths,
  pending = [],
}: {
  ctx: PageContext;
  topics: Map<string, Topic>;
  values: Values;
  errors: Errors;
  matches: SearchHit[];
  query: string;
  purgeMonths: number;
  /** Files kept from an attempt that was refused, sent again with the form. */
  pending?: readonly PendingFile[];
}) {
  const { t } = ctx;
  const title = t('enq.confirm.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} labels={labels(ctx)} />
      <Section id="matches" title={t('enq.match.title')}>
        {matches.length ? (
          <>
            <p>{t('enq.match.intro')}</p>
            <ol class="matches">
              {matches.map((hit) => (
                <MatchingArticle ctx={ctx} hit={hit} query={query} />
              ))}
            </ol>
          </>
        ) : (
          <p>{t('enq.match.none')}</p>
        )}
      </Section>
      <Section id="summary" title={t('enq.confirm.yours')}>
        <dl class="facts">
          <dt>{t('enq.field.type')}</dt>
          <dd>{typeName(ctx, values.type as (typeof ENQUIRY_TYPES)[number])}</dd>
          <dt>{t('enq.field.topic')}</dt>
          <dd>{topicName(ctx, topics, values.topic ?? '')}</dd>
          <dt>{t('enq.field.subject')}</dt>
          <dd>{values.subject}</dd>
          <dt>{t('enq.field.description')}</dt>
          <dd class="pre-line">{values.description}</dd>
          <dt>{t('enq.field.locale')}</dt>
          <dd>{languageName(values.locale as Locale)}</dd>
          <dt>{t('enq.field.name')}</dt>
          <dd>{values.name}</dd>
          <dt>{t('enq.field.email')}</dt>
          <dd>{values.email}</dd>
          {values.phone && (
            <>
              <dt>{t('enq.field.phone')}</dt>
              <dd>{values.phone}</dd>
            </>
          )}
        </dl>
      </Section>
      <form method="post" action={ctx.href('/enquiries/new')} enctype="multipart/form-data" novalidate class="enquiry-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
        {pending.length > 0 && <DefaultSubmit name="intent" value="submit" />}
        {FIELDS.map((name) => (
          <input type="hidden" name={name} value={values[name] ?? ''} />
        ))}
        <AttachmentsField ctx={ctx} id="field-attachments" error={errors.attachments} />
        <PendingFiles ctx={ctx} field="attachments" files={pending} />
        <Section id="statement" title={t('enq.statement.title')}>
          <p>{t('enq.statement.purpose')}</p>
          <p>{t('enq.statement.access')}</p>
          <p>{t('enq.statement.keep', { months: purgeMonths })}</p>
        </Section>
        <CheckboxField ctx={ctx} name="consent" kind="consent" label={t('enq.field.consent')} checked={values.consent === 'yes'} error={errors.consent} />
        <HoneypotField ctx={ctx} value={values[HONEYPOT_FIELD] ?? ''} />
        <div class="buttons">
          <button type="submit" name="intent" value="submit">
            {t('enq.submit')}
          </button>
          <button type="submit" name="intent" value="edit" class="secondary">
            {t('enq.edit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** After sending: the reference, when a reply is due, and how to follow the case. */
export function SubmittedPage({ ctx, reference, email, dueOn, timeLimit }: { ctx: PageContext; reference: string; email: string; dueOn: string; timeLimit: number }) {
  const { t } = ctx;
  const title = t('enq.submitted.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <div class="reference-panel" role="status">
        <p>{t('enq.submitted.reference')}</p>
        <p class="reference">{reference}</p>
      </div>
      <p>{t('enq.submitted.email', { email })}</p>
      <p>{t('enq.submitted.due', { days: timeLimit, date: ctx.date(dueOn) })}</p>
      <p>{t('enq.submitted.track')}</p>
      <ul class="link-list">
        <li>
          <a href={ctx.href(`/track?reference=${encodeURIComponent(reference)}`)}>{t('enq.track.title')}</a>
        </li>
        <li>
          <a href={ctx.href('/enquiries/new')}>{t('enq.submitted.another')}</a>
        </li>
      </ul>
    </Layout>
  );
}

/** A signed-in person's own enquiries. */
export function MyEnquiriesPage({ ctx, rows, topics, today }: { ctx: PageContext; rows: QueueRow[]; topics: Map<string, Topic>; today: string }) {
  const { t } = ctx;
  const title = t('enq.mine.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t('enq.mine.title') }]}>
      <h1>{title}</h1>
      <p>
        <a class="button" href={ctx.href('/enquiries/new')}>
          {t('enq.new.title')}
        </a>
      </p>
      {rows.length === 0 ? (
        <p>{t('enq.mine.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>{t('enq.mine.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('enq.reference')}</th>
                <th scope="col">{t('enq.field.subject')}</th>
                <th scope="col">{t('enq.field.topic')}</th>
                <th scope="col">{t('enq.state')}</th>
                <th scope="col">{t('enq.received')}</th>
                <th scope="col">{t('enq.due')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={ctx.href(`/track/case?reference=${encodeURIComponent(r.reference)}`)}>{r.reference}</a>
                  </th>
                  <td>{r.subject}</td>
                  <td>{topicName(ctx, topics, r.topicKey)}</td>
                  <td>
                    <StateBadge ctx={ctx} state={r.state} />
                  </td>
                  <td>{ctx.date(r.receivedOn)}</td>
                  <td>{r.state === 'closed' ? '–' : <DueText ctx={ctx} enquiry={{ state: r.state, dueOn: r.dueOn, onTime: null }} today={today} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
