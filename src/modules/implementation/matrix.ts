import { B, COORDINATORS, EVERYONE, F, LEAD_OFFICER, type ModuleMatrix, NOT_FOUND, O, S, WORKSPACE } from '../../platform/access-matrix.ts';
import { systemClock } from '../../platform/clock.ts';
import { loadImplementationDemo } from './demo/load.ts';
import { insertUpdate } from './queries/updates.ts';

/**
 * Implementation: public records, reports and the API; the workspace of officers and coordinators.
 * Tried on the demo data and two updates (a draft and a submitted one) by the matrix officer's agency
 * (hk-fstb), which leads the action tried.
 */
export const implementationMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/dashboard': { url: '/en/dashboard', expect: EVERYONE },
    'GET /{lang}/implementation/actions/:id': { url: '/en/implementation/actions/{action}', expect: EVERYONE },
    'GET /{lang}/implementation/indicators/:id': { url: '/en/implementation/indicators/{indicator}', expect: EVERYONE },
    'GET /{lang}/project-agreements': { url: '/en/project-agreements', expect: EVERYONE },
    'GET /{lang}/project-agreements/:id': { url: '/en/project-agreements/{project-agreement}', expect: EVERYONE },
    'GET /{lang}/meetings': { url: '/en/meetings', expect: EVERYONE },
    'GET /{lang}/meetings/:id': { url: '/en/meetings/{meeting}', expect: EVERYONE },
    'GET /files/:id/:name': { url: '/files/AAAAAAAAAAAAAAAAAAAAAAAAAAA/none.pdf', expect: NOT_FOUND },
    'GET /{lang}/reports': { url: '/en/reports', expect: EVERYONE },
    'GET /{lang}/reports/annual/:file': { url: '/en/reports/annual/2025-indicators.csv', expect: EVERYONE },
    'GET /{lang}/reports/meetings/:file': { url: '/en/reports/meetings/{meeting}', expect: EVERYONE },
    'GET /api/v1/actions': { url: '/api/v1/actions', expect: EVERYONE },
    'GET /api/v1/milestones': { url: '/api/v1/milestones', expect: EVERYONE },
    'GET /api/v1/indicators': { url: '/api/v1/indicators', expect: EVERYONE },
    'GET /api/v1/project-agreements': { url: '/api/v1/project-agreements', expect: EVERYONE },
    'GET /api/v1/meetings': { url: '/api/v1/meetings', expect: EVERYONE },
    'GET /{lang}/workspace': { url: '/en/workspace', expect: WORKSPACE },
    'GET /{lang}/workspace/commitments/:code/actions/new': { url: '/en/workspace/commitments/1-1/actions/new', expect: COORDINATORS },
    'POST /{lang}/workspace/commitments/:code/actions/new': { url: '/en/workspace/commitments/1-1/actions/new', expect: COORDINATORS },
    'GET /{lang}/workspace/actions/:id': { url: '/en/workspace/actions/{action}', expect: WORKSPACE },
    'POST /{lang}/workspace/actions/:id': { url: '/en/workspace/actions/{action}', expect: WORKSPACE },
    'POST /{lang}/workspace/actions/:id/milestones': { url: '/en/workspace/actions/{action}/milestones', expect: WORKSPACE },
    'POST /{lang}/workspace/milestones/:id': { url: '/en/workspace/milestones/{milestone}', expect: WORKSPACE },
    'GET /{lang}/workspace/actions/:id/updates/new': { url: '/en/workspace/actions/{action}/updates/new', expect: LEAD_OFFICER },
    'POST /{lang}/workspace/actions/:id/updates/new': { url: '/en/workspace/actions/{action}/updates/new', expect: LEAD_OFFICER },
    'GET /{lang}/workspace/updates/:id': { url: '/en/workspace/updates/{draft}', expect: WORKSPACE },
    'POST /{lang}/workspace/updates/:id': { url: '/en/workspace/updates/{draft}', expect: LEAD_OFFICER },
    'POST /{lang}/workspace/updates/:id/decision': { url: '/en/workspace/updates/{submitted}/decision', expect: [S, F, F, F, O, F] },
    'GET /{lang}/workspace/indicators': { url: '/en/workspace/indicators', expect: COORDINATORS },
    'GET /{lang}/workspace/indicators/new': { url: '/en/workspace/indicators/new', expect: COORDINATORS },
    'POST /{lang}/workspace/indicators/new': { url: '/en/workspace/indicators/new', expect: COORDINATORS },
    'GET /{lang}/workspace/indicators/:id': { url: '/en/workspace/indicators/{indicator}', expect: COORDINATORS },
    'POST /{lang}/workspace/indicators/:id': { url: '/en/workspace/indicators/{indicator}', expect: COORDINATORS },
    'POST /{lang}/workspace/indicators/:id/periods': { url: '/en/workspace/indicators/{indicator}/periods', expect: COORDINATORS },
    'POST /{lang}/workspace/indicators/:id/confirm': { url: '/en/workspace/indicators/{indicator}/confirm', expect: [S, F, F, F, B, B] },
    'GET /{lang}/workspace/project-agreements': { url: '/en/workspace/project-agreements', expect: COORDINATORS },
    'GET /{lang}/workspace/project-agreements/new': { url: '/en/workspace/project-agreements/new', expect: COORDINATORS },
    'POST /{lang}/workspace/project-agreements/new': { url: '/en/workspace/project-agreements/new', expect: COORDINATORS },
    'GET /{lang}/workspace/project-agreements/:id': { url: '/en/workspace/project-agreements/{project-agreement}', expect: COORDINATORS },
    'POST /{lang}/workspace/project-agreements/:id': { url: '/en/workspace/project-agreements/{project-agreement}', expect: COORDINATORS },
    'GET /{lang}/workspace/meetings': { url: '/en/workspace/meetings', expect: COORDINATORS },
    'GET /{lang}/workspace/meetings/new': { url: '/en/workspace/meetings/new', expect: COORDINATORS },
    'POST /{lang}/workspace/meetings/new': { url: '/en/workspace/meetings/new', expect: COORDINATORS },
    'GET /{lang}/workspace/meetings/:id': { url: '/en/workspace/meetings/{meeting}', expect: COORDINATORS },
    'POST /{lang}/workspace/meetings/:id': { url: '/en/workspace/meetings/{meeting}', expect: COORDINATORS },
  },
  async setup(db, users) {
    await loadImplementationDemo(db, { today: '2026-11-26', print: () => {} });
    const action = await db.selectFrom('actions').select(['id', 'commitment_id']).where('lead_hong_kong', '=', 'hk-fstb').orderBy('id').executeTakeFirstOrThrow();
    const officer = users.get('agency-officer') as string;
    const update = (narrative: string) =>
      insertUpdate(db, {
        actionId: action.id,
        commitmentId: action.commitment_id,
        organisationId: 'hk-fstb',
        side: 'hong-kong',
        authorId: officer,
        year: 2026,
        narrative: { en: narrative },
        values: [],
        projectAgreementIds: [],
      });
    const draft = await update('A draft');
    const submitted = await update('Submitted');
    await db.updateTable('progress_updates').set({ state: 'submitted', submitted_at: systemClock() }).where('id', '=', submitted.id).execute();
    const first = async (table: 'milestones' | 'indicators' | 'project_agreements' | 'meetings') => String((await db.selectFrom(table).select('id').orderBy('id').executeTakeFirstOrThrow()).id);
    return {
      action: String(action.id),
      milestone: String((await db.selectFrom('milestones').select('id').where('action_id', '=', action.id).orderBy('id').executeTakeFirstOrThrow()).id),
      indicator: await first('indicators'),
      'project-agreement': await first('project_agreements'),
      meeting: await first('meetings'),
      draft: String(draft.id),
      submitted: String(submitted.id),
    };
  },
};
