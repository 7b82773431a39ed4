import type { Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { FileStore } from '../../platform/files/files.ts';
import { type PendingFile, receiveFormFiles } from '../../platform/files/pending.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { renderPage } from '../../platform/html/layout.tsx';
import { notFound } from '../../platform/http/errors.ts';
import { type FieldError, localizedFormValues, readForm, readList } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { lookups } from './lookups.ts';
import { findProjectAgreements, type ProjectAgreement } from './queries/project-agreements.ts';
import { findMeetings, type Meeting } from './queries/meetings.ts';
import type { ImplementationReadModel } from './read-model.ts';
import { type DecisionInput, MEETING_FORM, saveMeeting } from './save-meeting.ts';
import { PROJECT_AGREEMENT_FORM, saveProjectAgreement } from './save-project-agreement.ts';
import { type FormBody, IdParams } from './schemas.ts';
import { ListPage } from './views/workspace/list.tsx';
import { MeetingFormPage } from './views/workspace/meeting-form.tsx';
import { ProjectAgreementFormPage } from './views/workspace/project-agreement-form.tsx';
import { type FormRequest, MAX_UPDATE_FILES, post, SavedQuery, upload } from './workspace-forms.ts';

/** The records of the framework's working: project agreements signed under it, and meetings with their decisions. */
export function recordRoutes(app: App, ctx: AppContext, model: ImplementationReadModel, files: FileStore): void {
  const db = ctx.db.kysely;
  const { organisationsMap, commitmentOptions } = lookups(ctx, model);
  const changed = () => ctx.invalidate();

  // Project agreements

  const agreementAccess = { action: 'project-agreement.manage' } as const;
  const agreementValues = (p: ProjectAgreement): Record<string, string> => ({
    ...localizedFormValues('title', p.title),
    ...localizedFormValues('summary', p.summary),
    ...localizedFormValues('place', p.signedPlace),
    otherParties: p.parties
      .filter((x) => !x.organisationId)
      .map((x) => Object.values(x.name ?? {})[0] ?? '')
      .join('\n'),
    signedOn: p.signedOn,
    startsOn: p.startsOn ?? '',
    endsOn: p.endsOn ?? '',
    status: p.status,
    sourceUrl: p.sourceUrl ?? '',
  });
  const agreementForm = async (
    page: PageContext,
    agreement: ProjectAgreement | undefined,
    state: { values: Record<string, string>; errors?: Partial<Record<string, FieldError>>; parties: string[]; commitments: string[]; saved?: boolean; pending?: PendingFile[] },
  ) =>
    renderPage(
      <ProjectAgreementFormPage
        ctx={page}
        agreement={agreement}
        values={state.values}
        errors={state.errors ?? {}}
        parties={state.parties}
        commitments={state.commitments}
        commitmentOptions={await commitmentOptions(page)}
        organisations={await organisationsMap()}
        saved={state.saved ?? false}
        pending={state.pending ?? []}
      />,
    );
  const saveAgreementRoute = async (request: FormRequest, reply: FastifyReply, page: PageContext, existing: ProjectAgreement | undefined) => {
    const form = readForm(request.body, PROJECT_AGREEMENT_FORM);
    const parties = readList(request.body, 'parties');
    const commitments = readList(request.body, 'commitments');
    // Documents that came with a refused attempt are kept, shown again and sent with the corrected form.
    const documents = await receiveFormFiles({ request, reply, db, files, field: 'documents', maxFiles: MAX_UPDATE_FILES });
    if (documents.removed) return agreementForm(page, existing, { values: form.values, parties, commitments, pending: await documents.keep() });
    const result = await saveProjectAgreement({
      ...useCaseContext(request, ctx),
      ...(existing ? { existing } : {}),
      form,
      parties,
      commitmentIds: commitments.map(Number),
      knownCommitmentIds: new Set((await model.commitmentKeys()).map((c) => c.id)),
      locale: page.locale,
      storeFiles: documents.store,
      fileError: documents.error,
    });
    if (!result.ok) return agreementForm(page, existing, { values: form.values, errors: result.errors, parties, commitments, pending: await documents.keep() });
    changed();
    reply.redirect(page.href(`/workspace/project-agreements/${result.id}?saved=1`), 303);
    return '';
  };
  pageRoute(app, ctx.assets, '/workspace/project-agreements', { access: agreementAccess }, async (_request, _reply, page) => {
    const list = await findProjectAgreements(db);
    return renderPage(
      <ListPage
        ctx={page}
        title={page.t('impl.projectAgreements')}
        newHref={page.href('/workspace/project-agreements/new')}
        newLabel={page.t('impl.projectAgreement.new')}
        items={list.map((p) => ({ href: page.href(`/workspace/project-agreements/${p.id}`), label: page.text(p.title), meta: `${p.reference} · ${page.date(p.signedOn)}` }))}
      />,
    );
  });
  pageRoute(app, ctx.assets, '/workspace/project-agreements/new', { access: agreementAccess }, async (_request, _reply, page) =>
    agreementForm(page, undefined, { values: { status: 'signed' }, parties: [], commitments: [] }),
  );
  pageRoute(app, ctx.assets, '/workspace/project-agreements/new', upload(agreementAccess), async (request, reply, page) => saveAgreementRoute(request, reply, page, undefined));
  const loadAgreement = async (id: string) => (await findProjectAgreements(db, { ids: [Number(id)] }))[0] ?? notFound('project_agreement');
  pageRoute(app, ctx.assets, '/workspace/project-agreements/:id', { access: agreementAccess, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const agreement = await loadAgreement(request.params.id);
    return agreementForm(page, agreement, {
      values: agreementValues(agreement),
      parties: agreement.parties.flatMap((p) => (p.organisationId ? [p.organisationId] : [])),
      commitments: agreement.commitmentIds.map(String),
      saved: request.query.saved === '1',
    });
  });
  pageRoute(app, ctx.assets, '/workspace/project-agreements/:id', { ...upload(agreementAccess), params: IdParams }, async (request, reply, page) =>
    saveAgreementRoute(request, reply, page, await loadAgreement(request.params.id)),
  );

  // Meetings

  const meetingAccess = { action: 'meeting.manage' } as const;
  const meetingValues = (m: Meeting): Record<string, string> => ({
    type: m.type,
    ...localizedFormValues('title', m.title),
    ...localizedFormValues('place', m.place),
    ...localizedFormValues('minutes', m.minutes),
    heldOn: m.heldOn,
  });
  const decisionRows = (decisions: DecisionInput[]) =>
    decisions.map((d) => ({
      number: d.number,
      values: { hant: d.text['zh-Hant'] ?? '', hans: d.text['zh-Hans'] ?? '', en: d.text.en ?? '', commitment: d.commitmentId === null ? '' : String(d.commitmentId) },
    }));
  const meetingForm = async (
    page: PageContext,
    meeting: Meeting | undefined,
    state: { values: Record<string, string>; errors?: Partial<Record<string, FieldError>>; participants: string[]; decisions: DecisionInput[]; saved?: boolean },
  ) =>
    renderPage(
      <MeetingFormPage
        ctx={page}
        meeting={meeting}
        values={state.values}
        errors={state.errors ?? {}}
        participants={state.participants}
        decisions={decisionRows(state.decisions)}
        commitmentOptions={await commitmentOptions(page)}
        organisations={await organisationsMap()}
        saved={state.saved ?? false}
      />,
    );
  const readDecisions = (b: Static<typeof FormBody>): DecisionInput[] => {
    const text = (key: string) => (typeof b[key] === 'string' ? (b[key] as string).trim().slice(0, 4000) : '');
    return readList(b, 'decisionNumber')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0 && n < 1000)
      .map((number) => {
        const commitment = text(`decision-${number}-commitment`);
        return {
          number,
          text: Object.fromEntries(
            (
              [
                ['zh-Hant', text(`decision-${number}-hant`)],
                ['zh-Hans', text(`decision-${number}-hans`)],
                ['en', text(`decision-${number}-en`)],
              ] as const
            ).filter(([, v]) => v),
          ),
          commitmentId: commitment ? Number(commitment) : null,
        };
      });
  };
  const saveMeetingRoute = async (request: FormRequest, reply: FastifyReply, page: PageContext, existing: Meeting | undefined) => {
    const form = readForm(request.body, MEETING_FORM);
    const participants = readList(request.body, 'participants');
    const decisions = readDecisions(request.body);
    const result = await saveMeeting({
      ...useCaseContext(request, ctx),
      ...(existing ? { existing } : {}),
      form,
      participants,
      decisions,
      knownCommitmentIds: new Set((await model.commitmentKeys()).map((c) => c.id)),
    });
    if (!result.ok) return meetingForm(page, existing, { values: form.values, errors: result.errors, participants, decisions });
    changed();
    reply.redirect(page.href(`/workspace/meetings/${result.id}?saved=1`), 303);
    return '';
  };
  pageRoute(app, ctx.assets, '/workspace/meetings', { access: meetingAccess }, async (_request, _reply, page) => {
    const list = await findMeetings(db);
    return renderPage(
      <ListPage
        ctx={page}
        title={page.t('impl.meetings')}
        newHref={page.href('/workspace/meetings/new')}
        newLabel={page.t('impl.meeting.new')}
        items={list.map((m) => ({ href: page.href(`/workspace/meetings/${m.id}`), label: page.text(m.title), meta: `${m.reference} · ${page.date(m.heldOn)}` }))}
      />,
    );
  });
  pageRoute(app, ctx.assets, '/workspace/meetings/new', { access: meetingAccess }, async (_request, _reply, page) => meetingForm(page, undefined, { values: {}, participants: [], decisions: [] }));
  pageRoute(app, ctx.assets, '/workspace/meetings/new', post(meetingAccess), async (request, reply, page) => saveMeetingRoute(request, reply, page, undefined));
  const loadMeeting = async (id: string) => (await findMeetings(db, { ids: [Number(id)] }))[0] ?? notFound('meeting');
  pageRoute(app, ctx.assets, '/workspace/meetings/:id', { access: meetingAccess, params: IdParams, querystring: SavedQuery }, async (request, _reply, page) => {
    const meeting = await loadMeeting(request.params.id);
    return meetingForm(page, meeting, { values: meetingValues(meeting), participants: meeting.participants, decisions: meeting.decisions, saved: request.query.saved === '1' });
  });
  pageRoute(app, ctx.assets, '/workspace/meetings/:id', { ...post(meetingAccess), params: IdParams }, async (request, reply, page) =>
    saveMeetingRoute(request, reply, page, await loadMeeting(request.params.id)),
  );
}
