import type { ComponentChildren } from 'preact';
import type { EnquiryState, EnquiryType } from '../tables.ts';
import type { FieldError } from '../../../platform/http/forms.ts';
import type { PageContext } from '../../../platform/html/context.ts';
import { ErrorSummary, errorText, fieldMessage } from '../../../platform/html/forms.tsx';
import { LOCALE_INFO } from '../../../platform/i18n/locales.ts';
import type { MessageKey } from '../../../platform/i18n/messages.ts';
import type { Organisation } from '../../organisations/index.ts';
import type { Enquiry } from '../queries/cases.ts';
import type { CaseEvent, CaseFile } from '../queries/timeline.ts';
import type { Topic } from '../queries/topics.ts';

export type Errors = Partial<Record<string, FieldError>>;
export type Values = Record<string, string>;
export type Organisations = Map<string, Organisation>;

export const typeName = (ctx: PageContext, type: EnquiryType) => ctx.t(`enq.type.${type}`);
const stateName = (ctx: PageContext, state: EnquiryState) => ctx.t(`enq.state.${state}`);
export const topicName = (ctx: PageContext, topics: Map<string, Topic>, key: string) => {
  const topic = topics.get(key);
  return topic ? ctx.text(topic.name) : key;
};
export const agencyName = (ctx: PageContext, organisations: Organisations, id: string | null) => {
  if (!id) return ctx.t('enq.withCoordinators');
  const o = organisations.get(id);
  return o ? ctx.text(o.name) : id;
};

export function StateBadge({ ctx, state, overdue }: { ctx: PageContext; state: EnquiryState; overdue?: boolean }) {
  return (
    <>
      <span class={`badge enquiry-${state}`}>{stateName(ctx, state)}</span>
      {overdue && (
        <>
          {' '}
          <span class="badge enquiry-overdue">{ctx.t('enq.overdue')}</span>
        </>
      )}
    </>
  );
}

/** When a case is due, as the citizen and the officer both see it: paused, closed, or the date. */
export function DueText({ ctx, enquiry, today }: { ctx: PageContext; enquiry: Pick<Enquiry, 'state' | 'dueOn' | 'onTime'>; today: string }) {
  if (enquiry.state === 'closed') return <>{enquiry.onTime ? ctx.t('enq.closedOnTime') : ctx.t('enq.closedLate')}</>;
  if (enquiry.state === 'awaiting-citizen') return <>{ctx.t('enq.clockPaused')}</>;
  return (
    <>
      <time datetime={enquiry.dueOn}>{ctx.date(enquiry.dueOn)}</time>
      {enquiry.state === 'open' && enquiry.dueOn < today && (
        <>
          {' '}
          <span class="badge enquiry-overdue">{ctx.t('enq.overdue')}</span>
        </>
      )}
    </>
  );
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** Text people typed, its paragraphs kept. */
export function Paragraphs({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <div class="prose">
      {text
        .split(/\r?\n\s*\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => (
          <p class="pre-line">{p}</p>
        ))}
    </div>
  );
}

const EVENT_KEYS: Record<CaseEvent['kind'], MessageKey> = {
  received: 'enq.event.received',
  reply: 'enq.event.reply',
  note: 'enq.event.note',
  'info-requested': 'enq.event.info-requested',
  'citizen-reply': 'enq.event.citizen-reply',
  transferred: 'enq.event.transferred',
  'sent-to-coordinators': 'enq.event.sent-to-coordinators',
  assigned: 'enq.event.assigned',
  extended: 'enq.event.extended',
  escalated: 'enq.event.escalated',
  closed: 'enq.event.closed',
  rated: 'enq.event.rated',
  purged: 'enq.event.purged',
};

/** What the citizen may read of each kind of entry (the reasons of transfers stay internal). */
const CITIZEN_READS: readonly CaseEvent['kind'][] = ['reply', 'info-requested', 'citizen-reply', 'extended', 'closed'];

/**
 * A case's timeline: the officers' (everything, with who did it) or the citizen's (what they may
 * see, with the agency that wrote, never the officer's name).
 */
export function Timeline({
  ctx,
  events,
  organisations,
  audience,
  fileHref,
}: {
  ctx: PageContext;
  events: CaseEvent[];
  organisations: Organisations;
  audience: 'officer' | 'citizen';
  fileHref: (f: CaseFile) => string;
}) {
  return (
    <ol class="timeline">
      {events.map((e) => {
        const showBody = audience === 'officer' || CITIZEN_READS.includes(e.kind);
        const who =
          e.actor === 'citizen'
            ? ctx.t('enq.by.citizen')
            : e.actor === 'system'
              ? ctx.t('enq.by.system')
              : audience === 'officer' && e.userName
                ? `${e.userName} (${agencyName(ctx, organisations, e.organisationId)})`
                : agencyName(ctx, organisations, e.organisationId);
        return (
          <li class={`event event-${e.kind}${e.visibleToCitizen ? '' : ' internal'}`}>
            <article aria-label={ctx.t(EVENT_KEYS[e.kind])}>
              <h3>
                {ctx.t(EVENT_KEYS[e.kind])}
                {audience === 'officer' && !e.visibleToCitizen && <span class="badge">{ctx.t('enq.internal')}</span>}
              </h3>
              <p class="meta">
                <time datetime={e.createdAt.toISOString()}>{ctx.date(e.createdAt.toISOString().slice(0, 10))}</time> · {who}
              </p>
              {e.toOrganisationId && e.kind !== 'received' && (audience === 'officer' || e.kind !== 'sent-to-coordinators') && (
                <p>
                  {e.kind === 'sent-to-coordinators' ? ctx.t('enq.event.suggested') : ctx.t('enq.event.to')}: {agencyName(ctx, organisations, e.toOrganisationId)}
                </p>
              )}
              {e.kind === 'extended' && e.days !== null && <p>{ctx.t('enq.event.days', { days: e.days })}</p>}
              {e.outcome && (
                <p>
                  {ctx.t('enq.outcome')}: {ctx.t(`enq.outcome.${e.outcome}`)}
                </p>
              )}
              {showBody && <Paragraphs text={e.body} />}
              {e.attachments.length > 0 && (
                <ul class="attachments">
                  {e.attachments.map((f) => (
                    <li>
                      <a href={fileHref(f)}>{f.name}</a> ({formatBytes(f.size)})
                    </li>
                  ))}
                </ul>
              )}
            </article>
          </li>
        );
      })}
    </ol>
  );
}

/** A file input for up to five documents or images, with its hint and error. */
export function AttachmentsField({ ctx, id, error }: { ctx: PageContext; id: string; error?: FieldError | undefined }) {
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{ctx.t('enq.attachments')}</label>
      <p class="hint" id={`${id}-hint`}>
        {ctx.t('enq.attachments.hint')}
      </p>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {fieldMessage(ctx, id, error, 'file')}
        </p>
      )}
      <input
        id={id}
        name="attachments"
        type="file"
        multiple
        accept=".pdf,.png,.jpg,.jpeg,.webp,.gif,.docx,.xlsx,.pptx,.doc,.xls,.ppt,.odt,.ods,.odp"
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        aria-invalid={error ? 'true' : undefined}
      />
    </div>
  );
}

/** A group of radio buttons, each with a hint: the platform's. */
export { RadioList } from '../../../platform/html/forms.tsx';

/**
 * The field errors of one of several forms on a page, linking to that form's fields (ids
 * field-<form>-<name>). A problem with the whole form is shown at the top of the page (FormProblem).
 */
export function FormErrors({ ctx, form, errors, labels }: { ctx: PageContext; form: string; errors: Errors; labels: Record<string, string> }) {
  const { form: _whole, ...fields } = errors;
  const keyed = Object.fromEntries(Object.entries(fields).map(([field, error]) => [`${form}-${field}`, error]));
  const keyedLabels = Object.fromEntries(Object.entries(labels).map(([field, label]) => [`${form}-${field}`, label]));
  return <ErrorSummary ctx={ctx} errors={keyed} labels={keyedLabels} />;
}

/** A problem with a whole form (the case changed meanwhile), not with one of its fields. */
export function FormProblem({ ctx, error }: { ctx: PageContext; error: FieldError | undefined }) {
  if (!error) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2>{ctx.t('form.errorSummary')}</h2>
      <p>{errorText(ctx, error)}</p>
    </div>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The language a citizen asked for replies in, named in itself. */
export const languageName = (locale: Enquiry['locale']) => LOCALE_INFO[locale].autonym;
