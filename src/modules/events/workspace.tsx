import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import { assertAuthorized } from '../../platform/auth/authorize.ts';
import { agenciesOf } from '../../platform/auth/roles.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { notFound } from '../../platform/http/errors.ts';
import { type FieldError, Fields, Optional, readForm, Text } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { MessageKey } from '../../platform/i18n/messages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { cancelOccurrence, REASON_MAX, restoreOccurrence } from './cancel-occurrence.ts';
import { changeOccurrence, occurrenceFormValues, readOccurrenceForm } from './change-occurrence.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import { eventSummaries, type EventRecord, findEvent, findEvents } from './queries/events.ts';
import { findOccurrence, findOccurrences, type Occurrence } from './queries/occurrences.ts';
import { answeredKeys, countRegistrations } from './queries/registrations.ts';
import type { EventsReadModel } from './read-model.ts';
import { type EventInput, eventFormValues, nextQuestionKey, type QuestionInput, questionRows, readEventInput, saveEvent } from './save-event.ts';
import { workspaceEventPath, workspaceOccurrencePath } from './views/parts.tsx';
import { EventFormPage } from './views/workspace/event-form.tsx';
import { EventsWorkspacePage } from './views/workspace/events.tsx';
import { OccurrencePage } from './views/workspace/occurrence.tsx';
import { DateSchema } from '../../platform/http/dates.ts';
import { keepsEveryEvent } from './policy.ts';

const EventParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }) });
const OccurrenceParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }), slot: DateSchema });
const NOTICES = ['created', 'saved', 'changed', 'cancelled', 'restored'] as const;
const NoticeQuery = T.Object({ done: T.Optional(T.Union(NOTICES.map((n) => T.Literal(n)))) });
const FormBody = T.Record(T.String(), T.Unknown());
const CANCEL_FORM = Fields({ reason: Optional(Text(REASON_MAX)) });

type OccurrenceP = Static<typeof OccurrenceParams>;
type NoticeQ = Static<typeof NoticeQuery>;

const access = { action: 'event.workspace' } as const;
const post = { method: 'POST' as const, access, body: FormBody };
const noticeKey = (done: NoticeQ['done']): MessageKey | undefined => (done ? `events.authoring.notice.${done}` : undefined);

/** The organisers' workspace: their events, the event form, and each date changed, cancelled or restored on its own. */
export function eventWorkspaceRoutes(app: App, ctx: AppContext, model: EventsReadModel): void {
  const db = ctx.db.kysely;
  const changed = () => {
    model.changed();
    ctx.invalidate();
  };
  const mail = async (): Promise<MailSettings> => {
    const [organisations, areas, commitments] = await Promise.all([model.organisations(), model.areas(), model.commitments()]);
    return { publicUrl: ctx.config.publicUrl, lookups: { organisations, areas, commitments } };
  };
  const lookups = async () => {
    const [organisations, areas, commitments] = await Promise.all([model.organisations(), model.areas(), model.commitments()]);
    return { organisations, areas, commitments };
  };

  /** An event the person may manage: 404 if there is none, 403 if it is another agency's. */
  const manageable = async (request: FastifyRequest, reference: string): Promise<EventRecord> => {
    const event = (await findEvent(db, reference)) ?? notFound('event');
    assertAuthorized(request.principal, 'event.manage', { organisers: event.organisers });
    return event;
  };
  const manageableOccurrence = async (request: FastifyRequest, params: OccurrenceP): Promise<{ event: EventRecord; occurrence: Occurrence }> => {
    const event = await manageable(request, params.reference);
    const occurrence = (await findOccurrence(db, event.id, params.slot)) ?? notFound('event');
    return { event, occurrence };
  };

  // The list

  pageRoute(app, ctx.assets, '/workspace/events', { access }, async (request, _reply, page) => {
    const principal = request.principal;
    const events = keepsEveryEvent(principal) ? await findEvents(db) : await findEvents(db, { organisers: agenciesOf(principal) });
    const [summaries, { organisations }] = await Promise.all([
      eventSummaries(
        db,
        events.map((e) => e.id),
        ctx.now(),
      ),
      lookups(),
    ]);
    return renderPage(<EventsWorkspacePage ctx={page} events={events} summaries={summaries} organisations={organisations} />);
  });

  // The event form

  const formPage = async (
    page: PageContext,
    event: EventRecord | undefined,
    state: {
      values: Record<string, string>;
      errors: Partial<Record<string, FieldError>>;
      organisers: readonly string[];
      commitments: readonly string[];
      questions: QuestionInput[];
      notice?: MessageKey | undefined;
    },
  ) => {
    const occurrences = event ? await findOccurrences(db, event.id) : [];
    const counts = await countRegistrations(
      db,
      occurrences.map((o) => o.id),
    );
    // The rows as typed (blank ones dropped), then a blank one for a new question under a key never used.
    const used = [...(event?.questions.map((q) => q.key) ?? []), ...(event ? await answeredKeys(db, event.id) : []), ...state.questions.map((q) => q.key)];
    const filled = state.questions.filter((q) => Object.entries(q.values).some(([k, v]) => v && k !== 'kind') || Object.keys(state.errors).some((k) => k.startsWith(`question-${q.key}-`)));
    const blank: QuestionInput = { key: nextQuestionKey(used), values: { labelHant: '', labelHans: '', labelEn: '', kind: 'text', optionsHant: '', optionsHans: '', optionsEn: '', required: '' } };
    return renderPage(
      <EventFormPage
        ctx={page}
        event={event}
        values={state.values}
        errors={state.errors}
        organisers={state.organisers}
        commitments={state.commitments}
        questions={[...filled, blank]}
        lookups={await lookups()}
        occurrences={occurrences.map((occurrence) => ({ occurrence, counts: counts.get(occurrence.id) }))}
        notice={state.notice}
      />,
    );
  };

  const save = async (request: SignedInRequest, reply: FastifyReply, page: PageContext, existing: EventRecord | undefined) => {
    const principal = request.principal;
    const input: EventInput = readEventInput(request.body);
    const { organisations, commitments } = await lookups();
    const result = await saveEvent({
      ...useCaseContext(request, ctx),
      input,
      existing,
      principal,
      organisations: new Set(organisations.keys()),
      commitmentIds: new Set(commitments.map((c) => c.id)),
      removedReason: page.t('events.authoring.removedReason'),
      year: Number(ctx.today().slice(0, 4)),
      mail: await mail(),
    });
    if (!result.ok) return formPage(page, existing, { values: input.form.values, errors: result.errors, organisers: input.organisers, commitments: input.commitments, questions: input.questions });
    changed();
    reply.redirect(page.href(`${workspaceEventPath(result.reference)}?done=${existing ? 'saved' : 'created'}`), 303);
    return '';
  };

  pageRoute(app, ctx.assets, '/workspace/events/new', { access }, async (request, _reply, page) => {
    const principal = request.principal;
    const defaults = { type: 'promotion', status: 'draft', timeZone: 'Asia/Hong_Kong', frequency: 'none', interval: '1', repeatEnd: 'count', registration: 'off', feedback: 'type' };
    const own = keepsEveryEvent(principal) ? [] : agenciesOf(principal).slice(0, 1);
    return formPage(page, undefined, { values: defaults, errors: {}, organisers: own, commitments: [], questions: [] });
  });
  pageRoute(app, ctx.assets, '/workspace/events/new', post, async (request, reply, page) => save(request, reply, page, undefined));

  pageRoute(app, ctx.assets, '/workspace/events/:reference', { access, params: EventParams, querystring: NoticeQuery }, async (request, _reply, page) => {
    const event = await manageable(request, request.params.reference);
    return formPage(page, event, {
      values: eventFormValues(event),
      errors: {},
      organisers: event.organisers,
      commitments: event.commitmentIds.map(String),
      questions: questionRows(event.questions),
      notice: noticeKey(request.query.done),
    });
  });
  pageRoute(app, ctx.assets, '/workspace/events/:reference', { ...post, params: EventParams }, async (request, reply, page) =>
    save(request, reply, page, await manageable(request, request.params.reference)),
  );

  // One date

  const occurrencePage = async (
    page: PageContext,
    event: EventRecord,
    occurrence: Occurrence,
    state: {
      values?: Record<string, string>;
      errors?: Partial<Record<string, FieldError>>;
      cancelValues?: Record<string, string>;
      cancelError?: FieldError;
      restoreError?: FieldError;
      notice?: MessageKey | undefined;
    },
  ) => {
    const counts = await countRegistrations(db, [occurrence.id]);
    return renderPage(
      <OccurrencePage
        ctx={page}
        event={event}
        occurrence={occurrence}
        values={state.values ?? occurrenceFormValues(event, occurrence)}
        errors={state.errors ?? {}}
        cancelValues={state.cancelValues ?? {}}
        cancelError={state.cancelError}
        restoreError={state.restoreError}
        counts={counts.get(occurrence.id)}
        notice={state.notice}
      />,
    );
  };
  const done = (reply: FastifyReply, page: PageContext, event: EventRecord, occurrence: Occurrence, what: NonNullable<NoticeQ['done']>) => {
    changed();
    reply.redirect(page.href(`${workspaceOccurrencePath(event.reference, occurrence.slot)}?done=${what}`), 303);
    return '';
  };

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot', { access, params: OccurrenceParams, querystring: NoticeQuery }, async (request, _reply, page) => {
    const { event, occurrence } = await manageableOccurrence(request, request.params);
    return occurrencePage(page, event, occurrence, { notice: noticeKey(request.query.done) });
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageableOccurrence(request, request.params);
    const form = readOccurrenceForm(request.body);
    const result = await changeOccurrence({ ...useCaseContext(request, ctx), event, occurrence, form, mail: await mail() });
    if (!result.ok) return occurrencePage(page, event, occurrence, { values: form.values, errors: result.errors });
    return done(reply, page, event, occurrence, 'changed');
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/cancel', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageableOccurrence(request, request.params);
    const form = readForm(request.body, CANCEL_FORM);
    // Asked once the reason is given (without one, the page says it is needed).
    if (form.values.reason && !form.errors.reason) {
      const asking = askFirst(request, page, {
        question: page.t('events.authoring.confirmCancel.question'),
        subject: `${page.text(event.title)}, ${page.date(occurrence.slot)}`,
        consequence: page.t('events.authoring.confirmCancel.consequence'),
        confirm: page.t('events.authoring.confirmCancel.confirm'),
        back: `/workspace/events/${event.reference}/${occurrence.slot}`,
      });
      if (asking) return asking;
    }
    const result = form.errors.reason
      ? ({ ok: false, error: form.errors.reason } as const)
      : await cancelOccurrence({ ...useCaseContext(request, ctx), event, occurrence, reason: form.values.reason, mail: await mail() });
    if (!result.ok) return occurrencePage(page, event, occurrence, { cancelValues: form.values, cancelError: result.error });
    return done(reply, page, event, occurrence, 'cancelled');
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/restore', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageableOccurrence(request, request.params);
    const result = await restoreOccurrence({ ...useCaseContext(request, ctx), event, occurrence });
    if (!result.ok) return occurrencePage(page, event, occurrence, { restoreError: result.error });
    return done(reply, page, event, occurrence, 'restored');
  });
}
