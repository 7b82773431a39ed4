import type { PageContext } from '../../../platform/html/context.ts';
import type { PendingFile } from '../../../platform/files/pending.ts';
import { DefaultSubmit, ErrorSummary, Form, Notice, PendingFiles, TextArea, TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Enquiry } from '../queries/cases.ts';
import type { CaseEvent, CaseFile } from '../queries/timeline.ts';
import type { Topic } from '../queries/topics.ts';
import {
  AttachmentsField,
  agencyName,
  DueText,
  type Errors,
  FormErrors,
  FormProblem,
  type Organisations,
  Paragraphs,
  RadioList,
  Section,
  StateBadge,
  Timeline,
  topicName,
  typeName,
  type Values,
} from './parts.tsx';

const crumbs = (ctx: PageContext, title: string) => [{ label: ctx.t('enq.help'), href: ctx.href('/help') }, { label: title }];

/** Step 1 of following a case: its reference and the email it was sent with. */
export function TrackStartPage({ ctx, values, errors }: { ctx: PageContext; values: Values; errors: Errors }) {
  const { t } = ctx;
  const title = t('enq.track.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <p class="lead">{t('enq.track.intro')}</p>
      {ctx.principal && (
        <p>
          <a href={ctx.href('/enquiries/mine')}>{t('enq.track.mine')}</a>
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} labels={{ reference: t('enq.reference'), email: t('enq.field.email') }} />
      <Form ctx={ctx} action={ctx.href('/track')}>
        <TextField ctx={ctx} name="reference" label={t('enq.reference')} hint={t('enq.track.reference.hint')} value={values.reference} error={errors.reference} autocomplete="off" />
        <TextField ctx={ctx} name="email" type="email" label={t('enq.field.email')} hint={t('enq.track.email.hint')} value={values.email} error={errors.email} autocomplete="email" />
        <div class="buttons">
          <button type="submit">{t('enq.track.send')}</button>
        </div>
      </Form>
    </Layout>
  );
}

/** Step 2: the code (the same page whether or not a code was sent). */
export function TrackCodePage({ ctx, reference, errors, minutes }: { ctx: PageContext; reference: string; errors: Errors; minutes: number }) {
  const { t } = ctx;
  const title = t('enq.track.code.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      <p class="lead">{t('enq.track.code.intro', { minutes })}</p>
      <ErrorSummary ctx={ctx} errors={errors} labels={{ code: t('enq.track.code') }} />
      <Form ctx={ctx} action={ctx.href('/track/code')}>
        <input type="hidden" name="reference" value={reference} />
        <p>
          {t('enq.reference')}: <strong>{reference}</strong>
        </p>
        <TextField ctx={ctx} name="code" label={t('enq.track.code')} hint={t('enq.track.code.hint')} error={errors.code} inputmode="numeric" autocomplete="one-time-code" />
        <div class="buttons">
          <button type="submit">{t('enq.track.open')}</button>
        </div>
      </Form>
      <p>
        <a href={ctx.href(`/track?reference=${encodeURIComponent(reference)}`)}>{t('enq.track.again')}</a>
      </p>
    </Layout>
  );
}

export interface CitizenForms {
  /** The reply refused, with the files kept from it (sent again with the corrected one). */
  reply?: { values: Values; errors: Errors; pending?: PendingFile[] };
  rating?: { values: Values; errors: Errors };
}

/**
 * The case as the citizen sees it: state, due date, the public timeline with the agencies' replies,
 * and the forms to write (until it closes) and to rate (once, after).
 */
export function TrackCasePage({
  ctx,
  enquiry,
  events,
  topics,
  organisations,
  today,
  forms,
  notice,
  ownerReference,
}: {
  ctx: PageContext;
  enquiry: Enquiry;
  events: CaseEvent[];
  topics: Map<string, Topic>;
  organisations: Organisations;
  today: string;
  forms: CitizenForms;
  notice?: string | undefined;
  /** Set when a signed-in owner opened it from their list (the forms say which case). */
  ownerReference?: string | undefined;
}) {
  const { t } = ctx;
  const title = t('enq.case.title', { reference: enquiry.reference });
  const fileHref = (f: CaseFile) => `/track/case/files/${f.id}/${encodeURIComponent(f.name)}${ownerReference ? `?reference=${encodeURIComponent(ownerReference)}` : ''}`;
  const owner = ownerReference ? <input type="hidden" name="reference" value={ownerReference} /> : null;
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, title)}>
      <h1>{title}</h1>
      {notice && <Notice>{notice}</Notice>}
      <FormProblem ctx={ctx} error={forms.reply?.errors.form ?? forms.rating?.errors.form} />
      <dl class="facts">
        <dt>{t('enq.state')}</dt>
        <dd>
          <StateBadge ctx={ctx} state={enquiry.state} />
        </dd>
        <dt>{t('enq.field.type')}</dt>
        <dd>{typeName(ctx, enquiry.type)}</dd>
        <dt>{t('enq.field.topic')}</dt>
        <dd>{topicName(ctx, topics, enquiry.topicKey)}</dd>
        <dt>{t('enq.agency')}</dt>
        <dd>{agencyName(ctx, organisations, enquiry.agencyId)}</dd>
        <dt>{t('enq.received')}</dt>
        <dd>{ctx.date(enquiry.receivedOn)}</dd>
        <dt>{t('enq.due')}</dt>
        <dd>
          <DueText ctx={ctx} enquiry={enquiry} today={today} />
        </dd>
        {enquiry.outcome && (
          <>
            <dt>{t('enq.outcome')}</dt>
            <dd>{t(`enq.outcome.${enquiry.outcome}`)}</dd>
          </>
        )}
      </dl>
      {enquiry.state === 'awaiting-citizen' && <p class="notice">{t('enq.case.awaitingYou')}</p>}
      <Section id="enquiry" title={enquiry.subject ?? t('enq.field.subject')}>
        <Paragraphs text={enquiry.description} />
      </Section>
      <Section id="timeline" title={t('enq.timeline')}>
        <Timeline ctx={ctx} events={events} organisations={organisations} audience="citizen" fileHref={fileHref} />
      </Section>
      {enquiry.state !== 'closed' && (
        <Section id="reply" title={enquiry.state === 'awaiting-citizen' ? t('enq.case.answer') : t('enq.case.write')}>
          <FormErrors ctx={ctx} form="reply" errors={forms.reply?.errors ?? {}} labels={{ body: t('enq.message'), attachments: t('enq.attachments') }} />
          <form method="post" action={ctx.href('/track/case/reply')} enctype="multipart/form-data" novalidate>
            <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
            {(forms.reply?.pending ?? []).length > 0 && <DefaultSubmit name="intent" value="send" />}
            <input type="hidden" name="version" value={String(enquiry.version)} />
            {owner}
            <TextArea ctx={ctx} id="field-reply-body" name="body" label={t('enq.message')} value={forms.reply?.values.body} error={forms.reply?.errors.body} rows={6} />
            <AttachmentsField ctx={ctx} id="field-reply-attachments" error={forms.reply?.errors.attachments} />
            <PendingFiles ctx={ctx} field="attachments" files={forms.reply?.pending ?? []} />
            <div class="buttons">
              <button type="submit">{t('enq.case.send')}</button>
            </div>
          </form>
        </Section>
      )}
      {enquiry.state === 'closed' && (
        <Section id="rating" title={t('enq.rating.title')}>
          {enquiry.satisfaction !== null ? (
            <p>{t('enq.rating.given', { score: enquiry.satisfaction })}</p>
          ) : (
            <>
              <FormErrors ctx={ctx} form="rating" errors={forms.rating?.errors ?? {}} labels={{ satisfaction: t('enq.rating.score'), comment: t('enq.rating.comment') }} />
              <Form ctx={ctx} action={ctx.href('/track/case/rating')}>
                <input type="hidden" name="version" value={String(enquiry.version)} />
                {owner}
                <RadioList
                  ctx={ctx}
                  id="field-rating-satisfaction"
                  name="satisfaction"
                  legend={t('enq.rating.score')}
                  value={forms.rating?.values.satisfaction ?? ''}
                  error={forms.rating?.errors.satisfaction}
                  options={(['5', '4', '3', '2', '1'] as const).map((s) => ({ value: s, label: t(`enq.rating.${s}`) }))}
                />
                <TextArea ctx={ctx} id="field-rating-comment" name="comment" label={t('enq.rating.comment')} value={forms.rating?.values.comment} error={forms.rating?.errors.comment} rows={3} />
                <div class="buttons">
                  <button type="submit">{t('enq.rating.send')}</button>
                </div>
              </Form>
            </>
          )}
        </Section>
      )}
    </Layout>
  );
}
