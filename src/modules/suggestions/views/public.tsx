import type { PageContext } from '../../../platform/html/context.ts';
import { Notice, SelectField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { FieldError } from '../../../platform/http/forms.ts';
import { LocalizedBlock } from '../../../platform/html/localized.tsx';
import type { PublicSuggestion } from '../queries.ts';
import { PUBLIC_STATES } from '../schemas.ts';
import { topicOptions } from '../topics.ts';
import { SuggestionForm } from './form.tsx';
import { commitmentGroups, day, type Lookups, orgName, Pager, queryString, StateBadge, Subject, suggestionPath, Written } from './parts.tsx';
import { commitmentCode, type CommitmentInfo } from '../../agreements/index.ts';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;

const crumbs = (ctx: PageContext, here?: string) => [{ label: ctx.t('suggestions.title'), href: ctx.href('/suggestions') }, ...(here ? [{ label: here }] : [])];

/** The form anyone may send a suggestion with, on a topic or a commitment. */
export function SuggestionFormPage({ ctx, lookups, values, errors, purgeAfterMonths }: { ctx: PageContext; lookups: Lookups; values: Values; errors: Errors; purgeAfterMonths: number }) {
  const { t } = ctx;
  const title = t('suggestions.new.title');
  const subjectLabel = t('suggestions.form.subject');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <p class="lead">{t('suggestions.new.intro')}</p>
      <p>
        {t('suggestions.new.enquiryInstead')} <a href={ctx.href('/enquiries/new')}>{t('suggestions.new.enquiryLink')}</a>
      </p>
      <SuggestionForm
        ctx={ctx}
        action={ctx.href('/suggestions/new')}
        values={values}
        errors={errors}
        purgeAfterMonths={purgeAfterMonths}
        submit={t('suggestions.form.submit')}
        subject={{
          label: subjectLabel,
          field: (
            <SelectField
              ctx={ctx}
              name="subject"
              label={subjectLabel}
              hint={t('suggestions.form.subjectHint')}
              value={values.subject ?? ''}
              error={errors.subject}
              blank="—"
              groups={[
                { label: t('suggestions.form.topics'), options: topicOptions(ctx).map((o) => ({ value: `topic:${o.value}`, label: o.label })) },
                ...commitmentGroups(ctx, lookups, (c) => `commitment:${commitmentCode(c)}`),
              ]}
            />
          ),
        }}
      />
    </Layout>
  );
}

/** Shown once a suggestion is in: its reference, and what happens next. */
export function ReceivedPage({ ctx, reference }: { ctx: PageContext; reference: string }) {
  const { t } = ctx;
  const title = t('suggestions.received.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <Notice>
        {t('suggestions.received.reference')} <strong>{reference}</strong>
      </Notice>
      <p>{t('suggestions.received.email')}</p>
      <p>{t('suggestions.received.next')}</p>
      <ul class="plain">
        <li>
          <a href={ctx.href('/suggestions')}>{t('suggestions.received.browse')}</a>
        </li>
        <li>
          <a href={ctx.href('/suggestions/new')}>{t('suggestions.received.another')}</a>
        </li>
      </ul>
    </Layout>
  );
}

export interface ListFilter {
  topic: string;
  commitment: string;
  status: string;
}

/** One suggestion in a list: title, reference, status, subject, date, supporters. */
function SuggestionItem({ ctx, lookups, s, inSection = false }: { ctx: PageContext; lookups: Lookups; s: PublicSuggestion; inSection?: boolean }) {
  // In a commitment's section: one level down, and without the commitment it is on.
  const Heading = inSection ? 'h3' : 'h2';
  return (
    <li>
      <Heading>
        <a href={ctx.href(suggestionPath(s.reference))}>
          <Written ctx={ctx} language={s.language} text={s.title} />
        </a>
      </Heading>
      <p class="meta">
        {s.reference} · <StateBadge ctx={ctx} state={s.state} /> ·{' '}
        {!inSection && (
          <>
            <Subject ctx={ctx} lookups={lookups} topic={s.topic} commitmentId={s.commitmentId} link={false} /> ·{' '}
          </>
        )}
        {day(ctx, lookups, s.publishedAt)}
        {s.supporters > 1 && <> · {ctx.t('suggestions.supporters', { n: s.supporters })}</>}
      </p>
    </li>
  );
}

/** Published suggestions with their status, filtered by topic, commitment and status, a page at a time. */
export function SuggestionsListPage({
  ctx,
  lookups,
  rows,
  total,
  page,
  pages,
  filter,
}: {
  ctx: PageContext;
  lookups: Lookups;
  rows: PublicSuggestion[];
  total: number;
  page: number;
  pages: number;
  filter: ListFilter;
}) {
  const { t } = ctx;
  const title = t('suggestions.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx)}>
      <h1>{title}</h1>
      <p class="lead">{t('suggestions.list.intro')}</p>
      <p>
        <a class="button" href={ctx.href('/suggestions/new')}>
          {t('suggestions.new.title')}
        </a>
      </p>
      <form method="get" action={ctx.href('/suggestions')} class="filters" role="search" aria-label={t('suggestions.list.filters')}>
        <SelectField
          ctx={ctx}
          id="filter-topic"
          name="topic"
          label={t('suggestions.list.topic')}
          value={filter.topic}
          options={[{ value: '', label: t('suggestions.list.any') }, ...topicOptions(ctx)]}
        />
        <SelectField
          ctx={ctx}
          id="filter-commitment"
          name="commitment"
          label={t('suggestions.list.commitment')}
          value={filter.commitment}
          blank={t('suggestions.list.any')}
          groups={commitmentGroups(ctx, lookups, commitmentCode)}
        />
        <SelectField
          ctx={ctx}
          id="filter-status"
          name="status"
          label={t('suggestions.list.status')}
          value={filter.status}
          options={[{ value: '', label: t('suggestions.list.any') }, ...PUBLIC_STATES.map((s) => ({ value: s, label: t(`suggestions.state.${s}`) }))]}
        />
        <button type="submit">{t('suggestions.list.apply')}</button>
      </form>
      <p role="status">{t('suggestions.list.count', { n: total })}</p>
      {rows.length > 0 && (
        <ol class="updates">
          {rows.map((s) => (
            <SuggestionItem ctx={ctx} lookups={lookups} s={s} />
          ))}
        </ol>
      )}
      <Pager ctx={ctx} page={page} pages={pages} label={t('suggestions.list.pages')} href={(p) => ctx.href(`/suggestions${queryString({ ...filter, page: p === 1 ? undefined : p })}`)} />
    </Layout>
  );
}

/** A published suggestion: its public copy, status, responsible agency and official response. Never who sent it. */
export function SuggestionPage({ ctx, lookups, s }: { ctx: PageContext; lookups: Lookups; s: PublicSuggestion }) {
  const { t } = ctx;
  const commitment = lookups.commitments.find((c) => c.id === s.commitmentId);
  const agency = orgName(ctx, lookups.organisations, s.responsibleAgency);
  return (
    <Layout ctx={ctx} title={s.title} breadcrumbs={crumbs(ctx, s.reference)}>
      <h1>
        <Written ctx={ctx} language={s.language} text={s.title} />
      </h1>
      <p>
        <StateBadge ctx={ctx} state={s.state} />
      </p>
      <dl class="facts">
        <dt>{t('suggestions.reference')}</dt>
        <dd>{s.reference}</dd>
        <dt>{t('suggestions.subject')}</dt>
        <dd>
          <Subject ctx={ctx} lookups={lookups} topic={s.topic} commitmentId={s.commitmentId} />
        </dd>
        <dt>{t('suggestions.receivedOn')}</dt>
        <dd>{day(ctx, lookups, s.receivedAt)}</dd>
        <dt>{t('suggestions.publishedOn')}</dt>
        <dd>{day(ctx, lookups, s.publishedAt)}</dd>
        <dt>{t('suggestions.agency')}</dt>
        <dd>{agency}</dd>
        <dt>{t('suggestions.supportersLabel')}</dt>
        <dd>{t('suggestions.supporters', { n: s.supporters })}</dd>
      </dl>
      <section aria-labelledby="suggestion-text">
        <h2 id="suggestion-text">{t('suggestions.text')}</h2>
        <Written ctx={ctx} language={s.language} text={s.body} block />
      </section>
      <section aria-labelledby="response">
        <h2 id="response">{t('suggestions.response')}</h2>
        {s.response && s.respondedAt ? (
          <>
            <p class="meta">{t('suggestions.respondedBy', { agency, date: day(ctx, lookups, s.respondedAt) })}</p>
            <LocalizedBlock ctx={ctx} text={s.response} />
          </>
        ) : (
          <p>{t('suggestions.awaitingResponse', { agency })}</p>
        )}
      </section>
      <p>
        <a href={ctx.href(`/suggestions/new${commitment ? queryString({ commitment: commitmentCode(commitment) }) : s.topic ? queryString({ topic: s.topic }) : ''}`)}>{t('suggestions.makeOneToo')}</a>
      </p>
    </Layout>
  );
}

/** A duplicate that was merged: it points to the suggestion it joined, and shows nothing of its own text. */
export function MergedPage({ ctx, reference, target }: { ctx: PageContext; reference: string; target: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={reference} breadcrumbs={crumbs(ctx, reference)}>
      <h1>{reference}</h1>
      <p>
        <span class="badge status-discontinued">{t('suggestions.state.merged')}</span>
      </p>
      <p>
        {t('suggestions.mergedInto')} <a href={ctx.href(suggestionPath(target))}>{target}</a>
      </p>
      <p>{t('suggestions.mergedExplained')}</p>
    </Layout>
  );
}

/** The suggestions section of a commitment's page: its published suggestions and a way to add one. */
export function CommitmentSuggestionsSection({ ctx, lookups, commitment, rows, total }: { ctx: PageContext; lookups: Lookups; commitment: CommitmentInfo; rows: PublicSuggestion[]; total: number }) {
  const { t } = ctx;
  const code = commitmentCode(commitment);
  return (
    <section aria-labelledby="suggestions" class="suggestions">
      <h2 id="suggestions">{t('suggestions.section.title')}</h2>
      {rows.length === 0 ? (
        <p>{t('suggestions.section.none')}</p>
      ) : (
        <ol class="updates">
          {rows.map((s) => (
            <SuggestionItem ctx={ctx} lookups={lookups} s={s} inSection />
          ))}
        </ol>
      )}
      {total > rows.length && (
        <p>
          <a href={ctx.href(`/suggestions${queryString({ commitment: code })}`)}>{t('suggestions.section.all', { n: total })}</a>
        </p>
      )}
      <p>
        <a class="button" href={ctx.href(`/suggestions/new${queryString({ commitment: code })}`)}>
          {t('suggestions.section.make')}
        </a>
      </p>
    </section>
  );
}
