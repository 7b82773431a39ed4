import type { FastifyRequest } from 'fastify';
import { abilities, assertAuthorized, authorize } from '../../platform/auth/authorize.ts';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { EnquiryState, EnquiryType } from './tables.ts';
import { type FileStore, sendFile } from '../../platform/files/files.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst, type Confirmation } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { type FieldsOf, type FormResult, type FormSchema, hasErrors, readForm } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { MessageKey } from '../../platform/i18n/messages.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { addNote } from './add-note.ts';
import { ASSIGN_FORM, assignEnquiry } from './assign-enquiry.ts';
import { type CaseContext, type CaseResult, seenVersion } from './case-change.ts';
import { CLOSE_FORM, closeEnquiry } from './close-enquiry.ts';
import { EXTEND_FORM, extendTimeLimit } from './extend-time-limit.ts';
import { notFound } from '../../platform/http/errors.ts';
import { lookups } from './lookups.ts';
import { type Enquiry, findEnquiry } from './queries/cases.ts';
import { queueScope } from './inbox.ts';
import { countOpenByState, countQueue, findQueue, type QueueFilter } from './queries/queue.ts';
import { findSettings } from './queries/settings.ts';
import { findCaseFile, findEvents } from './queries/timeline.ts';
import { findTopics } from './queries/topics.ts';
import { MESSAGE_FORM, replyToCitizen } from './reply-to-citizen.ts';
import { requestInformation } from './request-information.ts';
import { saveEnquirySettings, settingsValues } from './save-settings.ts';
import { CaseQuery, FileParams, FormBody, IdParams, MAX_ATTACHMENTS, QueueQuery } from './schemas.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../platform/files/files.ts';
import { type FormFiles, receiveFormFiles } from '../../platform/files/pending.ts';
import { fileForm } from '../../platform/files/uploads.ts';
import type { StatisticsPages } from './statistics.tsx';
import { TRANSFER_FORM, transferEnquiry } from './transfer-enquiry.ts';
import { agencyName } from './views/parts.tsx';
import { type CaseAction, CasePage, type CaseState, QueuePage, SettingsPage } from './views/workspace.tsx';

const queue = { action: 'enquiry.queue' } as const;
const settingsAccess = { action: 'enquiry.settings' } as const;
/** Cases on a page of the queue. */
const QUEUE_PAGE_SIZE = 25;

/** The officers' and coordinators' side of enquiries: the queue, a case and what is done on it, the settings. */
export function enquiryWorkspaceRoutes(app: App, ctx: AppContext, files: FileStore, statistics: StatisticsPages): void {
  const db = ctx.db.kysely;
  const look = lookups(ctx);

  pageRoute(app, ctx.assets, '/workspace/enquiries', { access: queue, querystring: QueueQuery }, async (request, _reply, page) => {
    const principal = request.principal;
    const q = request.query;
    const today = ctx.today();
    const scope = queueScope(principal);
    const filter: QueueFilter = {
      ...scope,
      state: (q.state || undefined) as EnquiryState | undefined,
      type: (q.type || undefined) as EnquiryType | undefined,
      overdueOn: q.overdue === '1' ? today : undefined,
    };
    const pageNumber = q.page ?? 1;
    const [rows, total, counts, topics, organisations] = await Promise.all([
      findQueue(db, filter, { limit: QUEUE_PAGE_SIZE, offset: (pageNumber - 1) * QUEUE_PAGE_SIZE }),
      countQueue(db, filter),
      countOpenByState(db, scope, today),
      look.topicMap(),
      look.organisations(),
    ]);
    const names = (scope.agencyIds ?? []).map((id) => agencyName(page, organisations, id));
    const sides = (scope.sides ?? []).map((s) => page.t(s === 'hong-kong' ? 'enq.scope.hongKong' : 'enq.scope.zhejiang'));
    return renderPage(
      <QueuePage
        ctx={page}
        view={{ rows, counts, total, page: pageNumber, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)), filter: { state: q.state ?? '', type: q.type ?? '', overdue: q.overdue ?? '' } }}
        topics={topics}
        organisations={organisations}
        today={today}
        canSettings={authorize(principal, 'enquiry.settings')}
        scope={page.t('enq.queue.scope', { places: [...names, ...sides].join(page.locale === 'en' ? '; ' : '；') })}
        notice={actionNotice(page, q.saved)}
      />,
    );
  });

  // Settings: routing and time limits.

  const settingsPage = async (page: PageContext, state: { values?: Record<string, string>; errors?: Record<string, string>; saved?: boolean }) => {
    const [topics, settings, agencies, organisations] = await Promise.all([findTopics(db), findSettings(db), look.agencies(page.locale), look.organisations()]);
    return renderPage(
      <SettingsPage
        ctx={page}
        topics={topics}
        agencies={[...agencies.keys()]}
        organisations={organisations}
        values={state.values ?? settingsValues(settings, topics)}
        errors={state.errors ?? {}}
        saved={state.saved ?? false}
      />,
    );
  };
  pageRoute(app, ctx.assets, '/workspace/enquiries/settings', { access: settingsAccess, querystring: CaseQuery }, async (request, _reply, page) =>
    settingsPage(page, { saved: request.query.saved === '1' }),
  );
  pageRoute(app, ctx.assets, '/workspace/enquiries/settings', { method: 'POST', access: settingsAccess, body: FormBody }, async (request, reply, page) => {
    const result = await saveEnquirySettings({ ...useCaseContext(request, ctx), body: request.body, agencies: await look.agencies(page.locale), userId: request.principal.user.id });
    if (!result.ok) return settingsPage(page, { values: result.values, errors: result.errors as Record<string, string> });
    reply.redirect(page.href('/workspace/enquiries/settings?saved=1'), 303);
    return '';
  });

  // A case.

  const loadCase = async (id: string): Promise<Enquiry> => (await findEnquiry(db, Number(id))) ?? notFound('enquiry');

  const casePage = async (request: SignedInRequest, page: PageContext, enquiry: Enquiry, state: CaseState) => {
    const principal = request.principal;
    const [events, topics, organisations, agencies, settings] = await Promise.all([
      findEvents(db, enquiry.id, { citizen: false }),
      look.topicMap(),
      look.organisations(),
      look.agencies(page.locale),
      findSettings(db),
    ]);
    const can = abilities(principal, ['enquiry.handle', 'enquiry.assign', 'enquiry.view'], enquiry);
    return renderPage(
      <CasePage
        ctx={page}
        enquiry={enquiry}
        events={events}
        topics={topics}
        organisations={organisations}
        agencies={[...agencies.keys()]}
        today={ctx.today()}
        can={{ handle: can['enquiry.handle'], assign: can['enquiry.assign'], personalData: can['enquiry.view'] }}
        settings={settings}
        state={state}
      />,
    );
  };

  pageRoute(app, ctx.assets, '/workspace/enquiries/:id', { access: queue, params: IdParams, querystring: CaseQuery }, async (request, _reply, page) => {
    const enquiry = await loadCase(request.params.id);
    assertAuthorized(request.principal, 'enquiry.view', enquiry);
    return casePage(request, page, enquiry, { notice: actionNotice(page, request.query.saved) });
  });

  /** What every action's handler is given: the case as seen, the form, who acts, and the files of a form that takes them. */
  type Run<F extends string> = (
    c: CaseContext & { principal: Principal },
    form: FormResult<F>,
    request: FastifyRequest,
    page: PageContext,
    attachments: FormFiles | undefined,
  ) => Promise<CaseResult<F>>;

  /**
   * One action on a case, as every one goes: load the case, check the person may act on it, read the
   * form, run the use case against the version of the case the person saw, then show the case again
   * (the form with its errors and what was typed), or go back to it, or to the queue if the case has
   * left the person's hands. The files of a refused form are kept, shown again and sent with the
   * corrected one (files/pending.ts).
   */
  function caseAction<S extends FormSchema>(
    action: CaseAction,
    schema: S,
    permission: 'enquiry.handle' | 'enquiry.assign',
    run: Run<FieldsOf<S>>,
    options: { uploads?: boolean; ask?: (page: PageContext) => Pick<Confirmation, 'question' | 'consequence' | 'confirm'> } = {},
  ): void {
    pageRoute(
      app,
      ctx.assets,
      `/workspace/enquiries/:id/${action}`,
      {
        method: 'POST',
        access: queue,
        params: IdParams,
        body: FormBody,
        ...(options.uploads ? { config: { uploads: fileForm(2 * MAX_ATTACHMENTS, { maxBodyBytes: MAX_ATTACHMENTS * DEFAULT_MAX_FILE_BYTES + 1024 * 1024 }) } } : {}),
      },
      async (request, reply, page) => {
        const principal = request.principal;
        const enquiry = await loadCase(request.params.id);
        assertAuthorized(principal, permission, enquiry);
        const form = readForm(request.body, schema);
        // An action that cannot be taken back asks first, once its form is filled in.
        if (options.ask && !hasErrors(form.errors)) {
          const asking = askFirst(request, page, { ...options.ask(page), subject: enquiry.reference, back: `/workspace/enquiries/${enquiry.id}` });
          if (asking) return asking;
        }
        const attachments = options.uploads ? await receiveFormFiles({ request, reply, db, files, field: 'attachments', maxFiles: MAX_ATTACHMENTS, tooMany: 'enq_too_many_files' }) : undefined;
        if (attachments?.removed) return casePage(request, page, enquiry, { failed: { action, values: form.values, errors: {}, pending: await attachments.keep() } });
        const seen = { ...enquiry, version: seenVersion((form.values as Record<string, string>).version) };
        const result = await run({ ...useCaseContext(request, ctx), enquiry: seen, today: ctx.today(), publicUrl: ctx.config.publicUrl, principal }, form, request, page, attachments);
        if (!result.ok) {
          const pending = attachments ? await attachments.keep() : [];
          return casePage(request, page, await loadCase(request.params.id), { failed: { action, values: form.values, errors: result.errors, pending } });
        }
        statistics.changed();
        const after = await loadCase(request.params.id);
        reply.redirect(page.href(authorize(principal, 'enquiry.view', after) ? `/workspace/enquiries/${enquiry.id}?saved=${action}` : `/workspace/enquiries?saved=${action}`), 303);
        return '';
      },
    );
  }

  const agencyNameOf = async (enquiry: Enquiry) => (enquiry.agencyId ? ((await look.organisations()).get(enquiry.agencyId)?.name ?? {}) : {});
  const topicOf = async (enquiry: Enquiry) => (await look.topicMap()).get(enquiry.topicKey) ?? notFound('topic');

  caseAction(
    'reply',
    MESSAGE_FORM,
    'enquiry.handle',
    async (c, form, _request, _page, attachments) =>
      replyToCitizen({ ...c, form, agencyName: await agencyNameOf(c.enquiry), storeFiles: attachments?.store ?? (async () => []), fileError: attachments?.error }),
    { uploads: true },
  );
  caseAction('note', MESSAGE_FORM, 'enquiry.handle', async (c, form) => addNote({ ...c, form }));
  caseAction('request-info', MESSAGE_FORM, 'enquiry.handle', async (c, form) => requestInformation({ ...c, form, agencyName: await agencyNameOf(c.enquiry) }));
  caseAction('transfer', TRANSFER_FORM, 'enquiry.handle', async (c, form, _request, page) =>
    transferEnquiry({ ...c, form, agencies: await look.agencies(page.locale), topic: await topicOf(c.enquiry) }),
  );
  caseAction('assign', ASSIGN_FORM, 'enquiry.assign', async (c, form, _request, page) => assignEnquiry({ ...c, form, agencies: await look.agencies(page.locale), topic: await topicOf(c.enquiry) }));
  caseAction('extend', EXTEND_FORM, 'enquiry.handle', async (c, form) => extendTimeLimit({ ...c, form, extensionCap: (await findSettings(db)).extensionCap }));
  caseAction('close', CLOSE_FORM, 'enquiry.handle', async (c, form) => closeEnquiry({ ...c, form }), {
    ask: (page) => ({ question: page.t('enq.confirmClose.question'), consequence: page.t('enq.confirmClose.consequence'), confirm: page.t('enq.confirmClose.confirm') }),
  });

  /** The files of a case, for those who may see it. */
  app.get('/workspace/enquiries/:id/files/:file/:name', { config: { access: queue }, schema: { hide: true, params: FileParams } }, async (request, reply) => {
    const enquiry = await loadCase(request.params.id);
    assertAuthorized(request.principal, 'enquiry.view', enquiry);
    if (!(await findCaseFile(db, enquiry.id, request.params.file))) notFound('file');
    const stored = (await files.read(db, request.params.file)) ?? notFound('file');
    return sendFile(reply, stored.file, stored.bytes);
  });
}

const ACTIONS: readonly CaseAction[] = ['reply', 'note', 'request-info', 'transfer', 'assign', 'extend', 'close'];

/** What the page says after an action went through (?saved=<action>). */
function actionNotice(page: PageContext, saved: string | undefined): string | undefined {
  return saved && ACTIONS.includes(saved as CaseAction) ? page.t(`enq.saved.${saved}` as MessageKey & `enq.saved.${string}`) : undefined;
}
