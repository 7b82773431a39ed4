import { type Static, Type as T } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { audit, requestInfo } from '../../platform/audit/audit.ts';
import { assertAuthorized } from '../../platform/auth/authorize.ts';
import type { RegistrationState } from './tables.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import { Choice, Fields, Optional, readForm, Text } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD } from '../../platform/http/honeypot.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import { LOCALE_INFO } from '../../platform/i18n/locales.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { type Column, type Sheet, toCsv, toXlsx } from '../../platform/reports/spreadsheet.ts';
import { isRecordedFrom, purgeAfterMonths } from '../suggestions/index.ts';
import { occurrenceEntity } from './cancel-occurrence.ts';
import { CHECK_IN_CODE, checkInRegistration, normaliseCode, undoCheckIn } from './check-in-registration.ts';
import { decideRegistration } from './decide-registration.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import { findByCheckInCode, recentCheckIns } from './queries/check-in.ts';
import { type EventRecord, findEvent } from './queries/events.ts';
import { effective, findOccurrence, type Occurrence } from './queries/occurrences.ts';
import { countRegistrations, findRegistration, findRegistrations } from './queries/registrations.ts';
import type { EventsReadModel } from './read-model.ts';
import { readReportForm, recordReport, reportClosedReason, reportFormValues, checkedInCount, type ReportErrors } from './record-report.ts';
import { FEEDBACK_FORM, feedbackOrigin, feedbackWindow, sendFeedback } from './send-feedback.ts';
import { occurrencePath, workspaceOccurrencePath } from './views/parts.tsx';
import { type CheckInOutcome, CheckInPage, CodeLookupPage, failureText } from './views/attendance/check-in.tsx';
import { FeedbackClosedPage, FeedbackPage, FeedbackThanksPage } from './views/attendance/feedback.tsx';
import { answerText, STATE_ORDER } from './views/attendance/parts.tsx';
import { type DecideError, RegistrationsPage } from './views/attendance/registrations.tsx';
import { ReportPage } from './views/attendance/report.tsx';
import { DateSchema } from '../../platform/http/dates.ts';

const EVENT_REFERENCE = '^ZJHK-V-\\d{4}-\\d{6}$';
const REGISTRATION_REFERENCE = '^ZJHK-R-\\d{4}-\\d{6}$';
const OccurrenceParams = T.Object({ reference: T.String({ pattern: EVENT_REFERENCE }), slot: DateSchema });
const DecideParams = T.Object({ ...OccurrenceParams.properties, registration: T.String({ pattern: REGISTRATION_REFERENCE }) });
const StateFilter = T.Optional(T.Union([T.Literal(''), ...STATE_ORDER.map((s) => T.Literal(s))]));
const ListQuery = T.Object({
  state: StateFilter,
  /** After a decision: the state it led to, and whose registration it was. */
  done: T.Optional(T.Union([T.Literal('confirmed'), T.Literal('waitlisted'), T.Literal('rejected')])),
  registration: T.Optional(T.String({ pattern: REGISTRATION_REFERENCE })),
});
const ExportQuery = T.Object({ state: StateFilter });
const CheckInQuery = T.Object({ done: T.Optional(T.String({ pattern: REGISTRATION_REFERENCE })), undone: T.Optional(T.String({ pattern: REGISTRATION_REFERENCE })) });
const CodeQuery = T.Object({ code: T.Optional(T.String({ maxLength: 40 })) });
const SavedQuery = T.Object({ done: T.Optional(T.Literal('saved')) });
const SentQuery = T.Object({ sent: T.Optional(T.String({ pattern: '^ZJHK-S-\\d{4}-\\d{6,10}$' })) });
const FormBody = T.Record(T.String(), T.Unknown());
const DECIDE_FORM = Fields({ decision: Choice(['approve', 'reject']), reason: Optional(Text(2000)) });
const CHECK_IN_FORM = Fields({ code: Optional(Text(40)) });
const UNDO_CHECK_IN_FORM = Fields({ registration: Text(40) });

type OccurrenceP = Static<typeof OccurrenceParams>;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Per address and language: this many sendings (or attempts) of the feedback form in ten minutes, as for suggestions. */
const FEEDBACK_LIMIT = { rateLimit: { max: 10, timeWindow: 10 * 60_000 } };
/** The check-ins listed at the door, each with an undo. */
const RECENT = 5;

const access = { action: 'event.workspace' } as const;
const post = { method: 'POST' as const, access, body: FormBody };

/** "2027-01-15 14:32" in the event's zone: a time in a spreadsheet that sorts and reads the same everywhere. */
const sheetTime = (at: Date | null, timeZone: string): string | null => (at ? DateTime.fromJSDate(at, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm') : null);

/**
 * After the registrations are in: the organiser's list of a date's registrations (with approval of
 * pending ones and the exports), check-in at the door, the attendance and report, and the public
 * feedback form of a symposium.
 */
export function eventAttendanceRoutes(app: App, ctx: AppContext, model: EventsReadModel): void {
  const db = ctx.db.kysely;
  const changed = () => {
    model.changed();
    ctx.invalidate();
  };
  const mail = async (): Promise<MailSettings> => {
    const [organisations, areas, commitments] = await Promise.all([model.organisations(), model.areas(), model.commitments()]);
    return { publicUrl: ctx.config.publicUrl, lookups: { organisations, areas, commitments } };
  };

  /** A date of an event the person may manage: 404 if there is none, 403 if it is another agency's. */
  const manageable = async (request: FastifyRequest, params: OccurrenceP): Promise<{ event: EventRecord; occurrence: Occurrence }> => {
    const event = (await findEvent(db, params.reference)) ?? notFound('event');
    assertAuthorized(request.principal, 'event.manage', { organisers: event.organisers });
    const occurrence = (await findOccurrence(db, event.id, params.slot)) ?? notFound('event');
    return { event, occurrence };
  };

  // ---------------------------------------------------------------------------------------------
  // Registrations

  const registrationsPage = async (page: PageContext, event: EventRecord, occurrence: Occurrence, state: RegistrationState | '', extra: { decideError?: DecideError; notice?: string } = {}) => {
    const [counts, registrations] = await Promise.all([countRegistrations(db, [occurrence.id]), findRegistrations(db, { occurrenceIds: [occurrence.id], ...(state ? { states: [state] } : {}) })]);
    return renderPage(
      <RegistrationsPage
        ctx={page}
        event={event}
        occurrence={occurrence}
        counts={counts.get(occurrence.id) ?? { pending: 0, confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0, rejected: 0 }}
        capacity={effective(event, occurrence).capacity}
        registrations={registrations}
        state={state}
        decideError={extra.decideError}
        notice={extra.notice}
      />,
    );
  };

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/registrations', { access, params: OccurrenceParams, querystring: ListQuery }, async (request, _reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const { done, registration } = request.query;
    const decided = done && registration ? await findRegistration(db, registration) : undefined;
    const notice = done && decided && decided.occurrenceId === occurrence.id ? page.t(`events.attendance.done.${done}`, { name: decided.name }) : undefined;
    return registrationsPage(page, event, occurrence, request.query.state ?? '', notice ? { notice } : {});
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/registrations/:registration/decide', { ...post, params: DecideParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const registration = await findRegistration(db, request.params.registration);
    if (!registration || registration.occurrenceId !== occurrence.id) throw new HttpError(404, 'registration_not_found', 'No such registration');
    const form = readForm(request.body, DECIDE_FORM);
    if (form.errors.decision) throw new HttpError(400, 'invalid_decision', 'Approve or reject');
    const again = (error: NonNullable<DecideError['error']>) =>
      registrationsPage(page, event, occurrence, '', { decideError: { reference: registration.reference, error, reason: form.values.reason } });
    if (form.errors.reason) return again(form.errors.reason);
    // A rejection with its reason asks first (without one, the list says a reason is needed).
    if (form.values.decision === 'reject' && form.values.reason) {
      const asking = askFirst(request, page, {
        question: page.t('events.attendance.confirmReject.question'),
        subject: `${registration.reference}, ${page.text(event.title)}, ${page.date(occurrence.slot)}`,
        consequence: page.t('events.attendance.confirmReject.consequence'),
        confirm: page.t('events.attendance.confirmReject.confirm'),
        back: `/workspace/events/${event.reference}/${occurrence.slot}/registrations`,
      });
      if (asking) return asking;
    }
    const result = await decideRegistration({
      ...useCaseContext(request, ctx),
      event,
      reference: registration.reference,
      decision: form.values.decision as 'approve' | 'reject',
      reason: form.values.reason,
      userId: request.principal.user.id,
      mail: await mail(),
    });
    if (!result.ok) return again(result.error);
    changed();
    reply.redirect(page.href(`${workspaceOccurrencePath(event.reference, occurrence.slot)}/registrations?done=${result.state}&registration=${registration.reference}`), 303);
    return '';
  });

  /** The list as a sheet, in the page's language: fixed columns, then one per question. */
  const sheetOf = async (page: PageContext, event: EventRecord, occurrence: Occurrence, state: RegistrationState | ''): Promise<Sheet> => {
    const registrations = await findRegistrations(db, { occurrenceIds: [occurrence.id], ...(state ? { states: [state] } : {}) });
    const { t } = page;
    const columns: Column[] = [
      { key: 'reference', header: t('events.attendance.col.reference') },
      { key: 'name', header: t('events.attendance.col.name') },
      { key: 'email', header: t('events.attendance.col.email') },
      { key: 'language', header: t('events.attendance.col.language') },
      { key: 'state', header: t('events.attendance.col.state') },
      { key: 'registeredAt', header: t('events.attendance.col.registeredAt') },
      { key: 'checkedInAt', header: t('events.attendance.col.checkedInAt') },
      ...event.questions.map((q) => ({ key: `q:${q.key}`, header: page.text(q.label) })),
    ];
    return {
      name: t('events.attendance.export.sheet'),
      title: t('events.attendance.export.title', { title: page.text(event.title), date: page.date(occurrence.slot) }),
      columns,
      rows: registrations.map((r) => ({
        reference: r.reference,
        name: r.name,
        email: r.email,
        language: LOCALE_INFO[r.locale].autonym,
        state: t(`events.registration.state.${r.state}`),
        registeredAt: sheetTime(r.createdAt, event.timeZone),
        checkedInAt: sheetTime(r.checkedInAt, event.timeZone),
        ...Object.fromEntries(event.questions.map((q) => [`q:${q.key}`, answerText(page, q, r.answers[q.key])])),
      })),
    };
  };

  const exportRoute = (format: 'xlsx' | 'csv') =>
    pageRoute(app, ctx.assets, `/workspace/events/:reference/:slot/registrations.${format}`, { access, params: OccurrenceParams, querystring: ExportQuery }, async (request, reply, page) => {
      const { event, occurrence } = await manageable(request, request.params);
      const state = request.query.state ?? '';
      const sheet = await sheetOf(page, event, occurrence, state);
      const body =
        format === 'xlsx'
          ? await toXlsx({
              title: sheet.title ?? sheet.name,
              subject: page.t('events.attendance.export.subject', { reference: event.reference, slot: occurrence.slot }),
              locale: page.locale,
              sheets: [sheet],
              created: ctx.now(),
            })
          : toCsv(sheet);
      // Who took the personal data of whom out of the platform, and how much of it.
      const { actor, request: from } = useCaseContext(request, ctx);
      await db.transaction().execute((trx) =>
        audit(trx, {
          actor,
          action: 'event.registrations.exported',
          entity: occurrenceEntity(event, occurrence),
          changes: { format: { before: null, after: format }, state: { before: null, after: state || 'all' }, rows: { before: null, after: sheet.rows.length } },
          request: from,
        }),
      );
      const fileName = `registrations-${event.reference}-${occurrence.slot}${state ? `-${state}` : ''}-${LOCALE_INFO[page.locale].prefix}.${format}`;
      reply
        .type(format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(body);
      return '';
    });
  exportRoute('xlsx');
  exportRoute('csv');

  // ---------------------------------------------------------------------------------------------
  // Check-in at the door

  const checkInPage = async (page: PageContext, event: EventRecord, occurrence: Occurrence, outcome: CheckInOutcome | undefined, value = '') => {
    const [counts, recent] = await Promise.all([countRegistrations(db, [occurrence.id]), recentCheckIns(db, occurrence.id, RECENT)]);
    const c = counts.get(occurrence.id);
    const tally = { checkedIn: c?.attended ?? 0, expected: (c?.attended ?? 0) + (c?.confirmed ?? 0) };
    return renderPage(<CheckInPage ctx={page} event={event} occurrence={occurrence} outcome={outcome} value={value} tally={tally} recent={recent} />);
  };
  const checkInPath = (event: EventRecord, occurrence: Occurrence) => `${workspaceOccurrencePath(event.reference, occurrence.slot)}/check-in`;

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/check-in', { access, params: OccurrenceParams, querystring: CheckInQuery }, async (request, _reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const { done, undone } = request.query;
    const reference = done ?? undone;
    const [registration] = reference ? await findRegistrations(db, { references: [reference], occurrenceIds: [occurrence.id] }) : [];
    const outcome: CheckInOutcome | undefined = !registration
      ? undefined
      : done && registration.state === 'attended'
        ? { ok: true, registration }
        : undone && registration.state === 'confirmed'
          ? { ok: 'undone', name: registration.name }
          : undefined;
    return checkInPage(page, event, occurrence, outcome);
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/check-in', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const typed = readForm(request.body, CHECK_IN_FORM).values.code;
    const result = await checkInRegistration({ ...useCaseContext(request, ctx), event, occurrence, code: typed, userId: request.principal.user.id });
    if (!result.ok) {
      const { ok: _ok, code, ...failure } = result;
      return checkInPage(page, event, occurrence, { ok: false, failure, code: code || typed }, typed);
    }
    changed();
    reply.redirect(page.href(`${checkInPath(event, occurrence)}?done=${result.registration.reference}`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/check-in/undo', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const reference = readForm(request.body, UNDO_CHECK_IN_FORM).values.registration;
    const result = await undoCheckIn({ ...useCaseContext(request, ctx), occurrence, reference });
    if (!result.ok) return checkInPage(page, event, occurrence, { ok: 'undo-failed', error: result.error });
    changed();
    reply.redirect(page.href(`${checkInPath(event, occurrence)}?undone=${result.registration.reference}`), 303);
    return '';
  });

  /**
   * Where a registration's QR code leads: the phone's camera opens this with the code. The person
   * scanning must be able to manage that event; they see who it is and check them in with one button.
   */
  pageRoute(app, ctx.assets, '/workspace/events/check-in', { access, querystring: CodeQuery }, async (request, _reply, page) => {
    const typed = (request.query.code ?? '').trim();
    if (!typed) return renderPage(<CodeLookupPage ctx={page} value="" />);
    const code = normaliseCode(typed);
    if (!CHECK_IN_CODE.test(code)) return renderPage(<CodeLookupPage ctx={page} value={typed} error={failureText(page, { error: 'check_in_code_invalid' }, code, ctx.config.timeZone)} />);
    const found = await findByCheckInCode(db, code);
    if (!found) return renderPage(<CodeLookupPage ctx={page} value={typed} error={failureText(page, { error: 'check_in_code_unknown' }, code, ctx.config.timeZone)} />);
    assertAuthorized(request.principal, 'event.manage', { organisers: found.event.organisers });
    return renderPage(<CodeLookupPage ctx={page} value={code} found={found} />);
  });

  // ---------------------------------------------------------------------------------------------
  // Attendance and report

  const reportPage = async (page: PageContext, event: EventRecord, occurrence: Occurrence, state: { values?: Record<string, string>; errors?: ReportErrors; saved?: boolean }) =>
    renderPage(
      <ReportPage
        ctx={page}
        event={event}
        occurrence={occurrence}
        values={state.values ?? (await reportFormValues(db, occurrence))}
        errors={state.errors ?? {}}
        closed={reportClosedReason(occurrence, ctx.now())}
        checkedIn={await checkedInCount(db, occurrence.id)}
        saved={state.saved ?? false}
      />,
    );

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/report', { access, params: OccurrenceParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    return reportPage(page, event, occurrence, { saved: request.query.done === 'saved' });
  });

  pageRoute(app, ctx.assets, '/workspace/events/:reference/:slot/report', { ...post, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await manageable(request, request.params);
    const form = readReportForm(request.body);
    const result = await recordReport({ ...useCaseContext(request, ctx), event, occurrence, form, userId: request.principal.user.id });
    // Too early or cancelled: the page says so in place of the form.
    if (!result.ok) return reportPage(page, event, occurrence, { values: form.values, errors: result.errors });
    changed();
    reply.redirect(page.href(`${workspaceOccurrencePath(event.reference, occurrence.slot)}/report?done=saved`), 303);
    return '';
  });

  // ---------------------------------------------------------------------------------------------
  // Symposium feedback (public)

  /**
   * A published (or since cancelled) event's date that asks for feedback; 404 for anything else. Whether
   * the form is open now is for the page to say: a 200 page "not open yet / any more" is kinder than a 404
   * to someone following a link from the event's page or an email.
   */
  const feedbackTarget = async (params: OccurrenceP) => {
    const event = await findEvent(db, params.reference);
    if (!event || event.status === 'draft' || !event.feedback) return notFound('event');
    const occurrence = (await findOccurrence(db, event.id, params.slot)) ?? notFound('event');
    const window = feedbackWindow(event, occurrence, ctx.now()) ?? notFound('event');
    return { event, occurrence, window };
  };

  const feedbackForm = async (page: PageContext, event: EventRecord, occurrence: Occurrence, closesAt: Date, values: Record<string, string>, errors: Partial<Record<string, string>>) => {
    return renderPage(<FeedbackPage ctx={page} event={event} occurrence={occurrence} closesAt={closesAt} values={values} errors={errors} purgeAfterMonths={await purgeAfterMonths(db)} />);
  };

  pageRoute(app, ctx.assets, '/events/:reference/:slot/feedback', { params: OccurrenceParams, querystring: SentQuery }, async (request, _reply, page) => {
    const { event, occurrence, window } = await feedbackTarget(request.params);
    const sent = request.query.sent;
    if (sent) {
      if (!(await isRecordedFrom(db, sent, feedbackOrigin(event, occurrence)))) throw new HttpError(404, 'suggestion_not_found', 'No such feedback');
      return renderPage(<FeedbackThanksPage ctx={page} event={event} occurrence={occurrence} reference={sent} />);
    }
    if (!window.open) return renderPage(<FeedbackClosedPage ctx={page} event={event} occurrence={occurrence} window={window} />);
    const user = request.principal?.user;
    return feedbackForm(page, event, occurrence, window.closesAt, { locale: page.locale, name: user?.displayName ?? '', email: user?.email ?? '' }, {});
  });

  pageRoute(app, ctx.assets, '/events/:reference/:slot/feedback', { method: 'POST', params: OccurrenceParams, body: FormBody, config: FEEDBACK_LIMIT }, async (request, reply, page) => {
    const { event, occurrence, window } = await feedbackTarget(request.params);
    // Sent to a form that is not open (a page left open too long): the same page as on opening it, nothing stored.
    if (!window.open) return renderPage(<FeedbackClosedPage ctx={page} event={event} occurrence={occurrence} window={window} />);
    const form = readForm(request.body, FEEDBACK_FORM);
    const result = await sendFeedback({
      db,
      event,
      occurrence,
      form,
      body: request.body,
      commitments: await model.commitments(),
      userId: request.principal?.user.id ?? null,
      year: Number(ctx.today().slice(0, 4)),
      request: requestInfo(request),
      now: ctx.now(),
    });
    if (!result.ok) {
      if (result.closed && !result.closed.open) return renderPage(<FeedbackClosedPage ctx={page} event={event} occurrence={occurrence} window={result.closed} />);
      const trap = request.body[HONEYPOT_FIELD];
      return feedbackForm(page, event, occurrence, window.closesAt, { ...form.values, [HONEYPOT_FIELD]: typeof trap === 'string' ? trap : '' }, result.errors);
    }
    changed();
    reply.redirect(page.href(`${occurrencePath(event.reference, occurrence.slot)}/feedback?sent=${result.reference}`), 303);
    return '';
  });
}
