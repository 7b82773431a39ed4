import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/audit/audit.ts';
import { systemClock } from '../../platform/clock.ts';
import { DEFAULT_MAX_FILE_BYTES, type FileStore, sendFile } from '../../platform/files/files.ts';
import { type PendingFile, receiveFormFiles } from '../../platform/files/pending.ts';
import { fileForm } from '../../platform/files/uploads.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { type FieldError, hasErrors, readForm } from '../../platform/http/forms.ts';
import { HONEYPOT_FIELD } from '../../platform/http/honeypot.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { MessageKey } from '../../platform/i18n/messages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { answerEnquiry, ANSWER_FORM } from './answer-enquiry.ts';
import { seenVersion } from './case-change.ts';
import { findMatchingArticles } from './find-matching-articles.ts';
import { notFound } from '../../platform/http/errors.ts';
import { bodyText, lookups } from './lookups.ts';
import { type Enquiry, findEnquiry, findEnquiryByReference } from './queries/cases.ts';
import { findEnquiriesOfUser } from './queries/queue.ts';
import { findSettings } from './queries/settings.ts';
import { findCaseFile, findEvents } from './queries/timeline.ts';
import { findTrackSession, sha256 } from './queries/tracking.ts';
import { rateEnquiry, RATING_FORM } from './rate-enquiry.ts';
import { CODE_MINUTES, requestTrackCode, TRACK_FORM } from './request-track-code.ts';
import { FormBody, MAX_ATTACHMENTS, TrackFileParams, TrackQuery } from './schemas.ts';
import type { StatisticsPages } from './statistics.tsx';
import { checkEnquiry, CONSENT_FORM, ENQUIRY_FORM, type EnquiryValues, submitEnquiry } from './submit-enquiry.ts';
import { CODE_FORM, openTrackSession, SESSION_MINUTES, verifyTrackCode } from './verify-track-code.ts';
import { ConfirmEnquiryPage, MyEnquiriesPage, NewEnquiryPage, SubmittedPage } from './views/submit.tsx';
import { type CitizenForms, TrackCasePage, TrackCodePage, TrackStartPage } from './views/track.tsx';

/** The cookie of a /track session: one case, for half an hour. */
export const TRACK_COOKIE = 'enquiry_track';
/** Per address and form, a minute: enough for a person, too few for a script. */
const LIMIT = { rateLimit: { max: 10, timeWindow: 60_000 } };
const post = { method: 'POST' as const, body: FormBody, config: LIMIT };
/** Up to twice the files a form takes are read, so that one too many gets the form's message, not an error page; the body is capped at what the form takes. */
const FILES = fileForm(2 * MAX_ATTACHMENTS, { maxBodyBytes: MAX_ATTACHMENTS * DEFAULT_MAX_FILE_BYTES + 1024 * 1024 });
const upload = { ...post, config: { ...LIMIT, uploads: FILES } };
/** Who acts for a visitor who is not signed in (a signed-in person acts as themselves). */
const CITIZEN: Actor = { type: 'system', label: 'citizen' };
/**
 * A /track session and its emailed codes keep real time (half an hour, a code's minutes at the
 * keyboard), whatever the platform's clock says, as sign-in sessions do (auth/sessions.ts).
 */
const realTime = systemClock;

/** The public side of enquiries: sending one, following it at /track, one's own list, the statistics. */
export function enquiryRoutes(app: App, ctx: AppContext, files: FileStore, statistics: StatisticsPages): void {
  const db = ctx.db.kysely;
  const look = lookups(ctx);

  /**
   * Opens a /track session of one case in this browser: the token in a cookie, its hash in the
   * database. Secure whenever the public URL is https (the cookie plugin's default, see app.tsx).
   */
  const setTrackCookie = (_request: FastifyRequest, reply: FastifyReply, token: string) =>
    reply.setCookie(TRACK_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: SESSION_MINUTES * 60 });

  /**
   * The case a citizen may see: the one their /track session opened, or, for a signed-in person, one
   * of their own named by its reference. Purged cases are no one's to see.
   */
  async function citizenCase(request: FastifyRequest): Promise<{ enquiry: Enquiry; ownerReference?: string } | undefined> {
    const reference = (request.query as { reference?: string } | undefined)?.reference ?? bodyText(request, 'reference');
    const principal = request.principal;
    if (reference && principal) {
      const own = await findEnquiryByReference(db, reference.toUpperCase());
      if (own && own.userId === principal.user.id && own.purgedAt === null) return { enquiry: own, ownerReference: own.reference };
    }
    const token = request.cookies[TRACK_COOKIE];
    const id = token ? await findTrackSession(db, sha256(token), realTime()) : undefined;
    const enquiry = id === undefined ? undefined : await findEnquiry(db, id);
    return enquiry && enquiry.purgedAt === null ? { enquiry } : undefined;
  }

  const redirect = (reply: FastifyReply, page: PageContext, path: string) => {
    reply.redirect(page.href(path), 303);
    return '';
  };

  // -------------------------------------------------------------------------------------------------
  // Sending an enquiry: the form, the matching articles and confirmation, the reference.

  const stepOne = async (page: PageContext, values: Record<string, string>, errors: Partial<Record<string, FieldError>>) =>
    renderPage(<NewEnquiryPage ctx={page} topics={await look.topics()} values={values} errors={errors} />);

  const stepTwo = async (page: PageContext, values: Record<string, string>, errors: Partial<Record<string, FieldError>>, pending: PendingFile[] = []) => {
    const topics = await look.topicMap();
    const { hits, query } = await findMatchingArticles(db, { subject: values.subject ?? '', description: values.description ?? '', category: topics.get(values.topic ?? '')?.category ?? null });
    return renderPage(
      <ConfirmEnquiryPage ctx={page} topics={topics} values={values} errors={errors} matches={hits} query={query} purgeMonths={(await findSettings(db)).purgeMonths} pending={pending} />,
    );
  };

  pageRoute(app, ctx.assets, '/enquiries/new', {}, async (request, _reply, page) => {
    const user = request.principal?.user;
    return stepOne(page, { locale: page.locale, name: user?.displayName ?? '', email: user?.email ?? '' }, {});
  });

  pageRoute(app, ctx.assets, '/enquiries/new', upload, async (request, reply, page) => {
    const intent = bodyText(request, 'intent');
    const form = readForm(request.body, ENQUIRY_FORM);
    const topics = await look.topics();
    const errors = checkEnquiry(form, topics, request.body);
    const values: Record<string, string> = { ...form.values, consent: bodyText(request, 'consent'), [HONEYPOT_FIELD]: bodyText(request, HONEYPOT_FIELD) };
    if (intent === 'edit') return stepOne(page, values, {});
    if (hasErrors(errors)) return stepOne(page, values, errors);
    // Files that came with a refused step are kept, shown again and sent with the corrected form.
    const attachments = await receiveFormFiles({ request, reply, db, files, field: 'attachments', maxFiles: MAX_ATTACHMENTS, tooMany: 'enq_too_many_files' });
    if (intent !== 'submit' || attachments.removed) return stepTwo(page, values, {}, await attachments.keep());

    const consent = readForm(request.body, CONSENT_FORM);
    const userId = request.principal?.user.id ?? null;
    const confirmErrors = { ...consent.errors, ...(attachments.error ? { attachments: attachments.error } : {}) };
    if (hasErrors(confirmErrors)) return stepTwo(page, values, confirmErrors, await attachments.keep());
    const topic = topics.find((t) => t.key === form.values.topic) ?? notFound('topic');
    const agency = (await look.organisations()).get(topic.agencyId) ?? notFound('organisation');
    const saved = await submitEnquiry({
      ...useCaseContext(request, ctx, CITIZEN),
      values: form.values as EnquiryValues,
      topic,
      agency,
      userId,
      storeFiles: attachments.store,
      today: ctx.today(),
      publicUrl: ctx.config.publicUrl,
    });
    statistics.changed();
    // The browser that sent it may see it at once (the confirmation, /track) without a code.
    setTrackCookie(request, reply, await openTrackSession(db, saved.id, realTime()));
    reply.redirect(page.href('/enquiries/submitted'), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/enquiries/submitted', { personal: true }, async (request, reply, page) => {
    const found = await citizenCase(request);
    if (!found) return redirect(reply, page, '/track');
    const e = found.enquiry;
    return renderPage(<SubmittedPage ctx={page} reference={e.reference} email={e.email ?? ''} dueOn={e.dueOn} timeLimit={e.timeLimit} />);
  });

  pageRoute(app, ctx.assets, '/enquiries/mine', { access: 'session' }, async (request, _reply, page) => {
    const rows = await findEnquiriesOfUser(db, request.principal.user.id);
    return renderPage(<MyEnquiriesPage ctx={page} rows={rows} topics={await look.topicMap()} today={ctx.today()} />);
  });

  // -------------------------------------------------------------------------------------------------
  // Following a case: reference and email, a code by email, then the case for half an hour.

  pageRoute(app, ctx.assets, '/track', { querystring: TrackQuery }, async (request, _reply, page) =>
    renderPage(<TrackStartPage ctx={page} values={{ reference: request.query.reference ?? '' }} errors={{}} />),
  );

  pageRoute(app, ctx.assets, '/track', post, async (request, _reply, page) => {
    const form = readForm(request.body, TRACK_FORM);
    const result = await requestTrackCode({ db, form, now: realTime() });
    if (!result.ok) return renderPage(<TrackStartPage ctx={page} values={form.values} errors={result.errors} />);
    return renderPage(<TrackCodePage ctx={page} reference={result.reference} errors={{}} minutes={CODE_MINUTES} />);
  });

  pageRoute(app, ctx.assets, '/track/code', post, async (request, reply, page) => {
    const form = readForm(request.body, CODE_FORM);
    const result = await verifyTrackCode({ db, form, now: realTime() });
    if (!result.ok) return renderPage(<TrackCodePage ctx={page} reference={form.values.reference.toUpperCase()} errors={result.errors} minutes={CODE_MINUTES} />);
    setTrackCookie(request, reply, result.token);
    return redirect(reply, page, '/track/case');
  });

  const casePage = async (page: PageContext, found: { enquiry: Enquiry; ownerReference?: string }, forms: CitizenForms, notice?: string) => {
    const [events, topics, organisations] = await Promise.all([findEvents(db, found.enquiry.id, { citizen: true }), look.topicMap(), look.organisations()]);
    return renderPage(
      <TrackCasePage
        ctx={page}
        enquiry={found.enquiry}
        events={events}
        topics={topics}
        organisations={organisations}
        today={ctx.today()}
        forms={forms}
        notice={notice}
        ownerReference={found.ownerReference}
      />,
    );
  };
  const savedNotice = (page: PageContext, saved: string | undefined) =>
    saved === 'reply' || saved === 'rating' ? page.t(`enq.saved.citizen-${saved}` as MessageKey & `enq.saved.${string}`) : undefined;
  const backToCase = (reply: FastifyReply, page: PageContext, found: { ownerReference?: string }, saved: string) =>
    redirect(reply, page, `/track/case?${new URLSearchParams({ ...(found.ownerReference ? { reference: found.ownerReference } : {}), saved }).toString()}`);

  pageRoute(app, ctx.assets, '/track/case', { querystring: TrackQuery, personal: true }, async (request, reply, page) => {
    const found = await citizenCase(request);
    if (!found) return redirect(reply, page, '/track');
    return casePage(page, found, {}, savedNotice(page, request.query.saved));
  });

  pageRoute(app, ctx.assets, '/track/case/reply', upload, async (request, reply, page) => {
    const found = await citizenCase(request);
    if (!found) return redirect(reply, page, '/track');
    const form = readForm(request.body, ANSWER_FORM);
    const userId = request.principal?.user.id ?? null;
    // Files that came with a refused reply are kept, shown again and sent with the corrected one.
    const attachments = await receiveFormFiles({ request, reply, db, files, field: 'attachments', maxFiles: MAX_ATTACHMENTS, tooMany: 'enq_too_many_files' });
    if (attachments.removed) return casePage(page, found, { reply: { values: form.values, errors: {}, pending: await attachments.keep() } });
    const topic = (await look.topicMap()).get(found.enquiry.topicKey) ?? notFound('topic');
    const seen = { ...found.enquiry, version: seenVersion(form.values.version) };
    const result = await answerEnquiry({
      ...useCaseContext(request, ctx, CITIZEN),
      enquiry: seen,
      today: ctx.today(),
      publicUrl: ctx.config.publicUrl,
      form,
      userId,
      topic,
      storeFiles: attachments.store,
      fileError: attachments.error,
    });
    if (!result.ok) return casePage(page, found, { reply: { values: form.values, errors: result.errors, pending: await attachments.keep() } });
    return backToCase(reply, page, found, 'reply');
  });

  pageRoute(app, ctx.assets, '/track/case/rating', post, async (request, reply, page) => {
    const found = await citizenCase(request);
    if (!found) return redirect(reply, page, '/track');
    const form = readForm(request.body, RATING_FORM);
    const seen = { ...found.enquiry, version: seenVersion(form.values.version) };
    const result = await rateEnquiry({
      ...useCaseContext(request, ctx, CITIZEN),
      enquiry: seen,
      today: ctx.today(),
      publicUrl: ctx.config.publicUrl,
      form,
      userId: request.principal?.user.id ?? null,
    });
    if (!result.ok) return casePage(page, found, { rating: { values: form.values, errors: result.errors } });
    statistics.changed();
    return backToCase(reply, page, found, 'rating');
  });

  /** The files the citizen may see on their case (theirs, and those officers sent them). */
  app.get('/track/case/files/:file/:name', { config: { access: 'public', personal: true }, schema: { hide: true, params: TrackFileParams, querystring: TrackQuery } }, async (request, reply) => {
    const found = await citizenCase(request);
    const use = found ? await findCaseFile(db, found.enquiry.id, request.params.file) : undefined;
    if (!use?.visibleToCitizen) notFound('file');
    const stored = (await files.read(db, request.params.file)) ?? notFound('file');
    return sendFile(reply, stored.file, stored.bytes);
  });
}
