import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertUser } from '../../src/modules/accounts/queries.ts';
import { loadImplementationDemo } from '../../src/modules/implementation/demo.ts';
import { insertUpdate } from '../../src/modules/implementation/queries.ts';
import type { Database } from '../../src/platform/db/schema.ts';
import { ADMINS, B, COORDINATORS, EVERYONE, F, LEAD_OFFICER, type MatrixLines, type ModuleMatrix, NONE, NOT_FOUND, O, S, SIGNED_IN, type Who, WORKSPACE } from './outcomes.ts';

/** Route (method and pattern, with {lang} for the language prefixes) → a URL to try and the outcome per role. */
export const CORE: MatrixLines = {
  'GET /': { url: '/', expect: EVERYONE },
  'GET /healthz': { url: '/healthz', expect: EVERYONE },
  'GET /readyz': { url: '/readyz', expect: EVERYONE },
  'GET /assets/:name': { url: 'asset', expect: EVERYONE },
  'GET /api/v1/openapi.json': { url: '/api/v1/openapi.json', expect: EVERYONE },
  'GET /api/v1/agreements': { url: '/api/v1/agreements', expect: EVERYONE },
  'GET /api/v1/agreements/:id': { url: '/api/v1/agreements/zjhk-2023', expect: EVERYONE },
  'GET /{lang}/': { url: '/en/', expect: EVERYONE },
  'GET /{lang}/accessibility': { url: '/en/accessibility', expect: EVERYONE },
  'GET /{lang}/api-docs': { url: '/en/api-docs', expect: EVERYONE },
  'GET /{lang}/agreements': { url: '/en/agreements', expect: EVERYONE },
  'GET /{lang}/agreements/:id': { url: '/en/agreements/zjhk-2023', expect: EVERYONE },
  'GET /{lang}/agreements/:id/areas/:area': { url: '/en/agreements/zjhk-2023/areas/1', expect: EVERYONE },
  'GET /{lang}/agreements/:id/commitments/:code': { url: '/en/agreements/zjhk-2023/commitments/1-1', expect: EVERYONE },
  'GET /{lang}/agreements/:id/compare': { url: '/en/agreements/zjhk-2023/compare', expect: EVERYONE },
  'GET /{lang}/agreements/:id/print': { url: '/en/agreements/zjhk-2023/print', expect: EVERYONE },
  'GET /{lang}/register': { url: '/en/register', expect: EVERYONE },
  'POST /{lang}/register': { url: '/en/register', expect: EVERYONE },
  'GET /{lang}/verify-email': { url: '/en/verify-email', expect: EVERYONE },
  'GET /{lang}/account/verify-email': { url: '/en/account/verify-email', expect: SIGNED_IN },
  'POST /{lang}/account/verify-email': { url: '/en/account/verify-email', expect: SIGNED_IN },
  'GET /{lang}/login': { url: '/en/login', expect: EVERYONE },
  'POST /{lang}/login': { url: '/en/login', expect: EVERYONE },
  'POST /{lang}/logout': { url: '/en/logout', expect: SIGNED_IN },
  'GET /{lang}/forgot-password': { url: '/en/forgot-password', expect: EVERYONE },
  'POST /{lang}/forgot-password': { url: '/en/forgot-password', expect: EVERYONE },
  'GET /{lang}/reset-password': { url: '/en/reset-password', expect: EVERYONE },
  'POST /{lang}/reset-password': { url: '/en/reset-password', expect: EVERYONE },
  'GET /{lang}/account': { url: '/en/account', expect: SIGNED_IN },
  'GET /{lang}/account/email': { url: '/en/account/email', expect: SIGNED_IN },
  'POST /{lang}/account/email': { url: '/en/account/email', expect: SIGNED_IN },
  'GET /{lang}/confirm-email-change': { url: '/en/confirm-email-change', expect: EVERYONE },
  'GET /{lang}/account/two-factor': { url: '/en/account/two-factor', expect: SIGNED_IN },
  'POST /{lang}/account/two-factor': { url: '/en/account/two-factor', expect: SIGNED_IN },
  'GET /{lang}/login/two-factor': { url: '/en/login/two-factor', expect: SIGNED_IN },
  'POST /{lang}/login/two-factor': { url: '/en/login/two-factor', expect: SIGNED_IN },
  'GET /{lang}/admin': { url: '/en/admin', expect: COORDINATORS },
  'GET /{lang}/admin/audit': { url: '/en/admin/audit', expect: COORDINATORS },
  'GET /{lang}/admin/mailbox': { url: '/en/admin/mailbox', expect: ADMINS },
  'GET /{lang}/admin/users': { url: '/en/admin/users', expect: ADMINS },
  'GET /{lang}/admin/users/:id': { url: '/en/admin/users/{target}', expect: ADMINS },
  'POST /{lang}/admin/users/:id/roles': { url: '/en/admin/users/{target}/roles', expect: ADMINS },
  'POST /{lang}/admin/users/:id/roles/remove': { url: '/en/admin/users/{target}/roles/remove', expect: ADMINS },
  'POST /{lang}/admin/users/:id/disable': { url: '/en/admin/users/{target}/disable', expect: ADMINS },
  'POST /{lang}/admin/users/:id/enable': { url: '/en/admin/users/{target}/enable', expect: ADMINS },
  'GET /{lang}/admin/organisations': { url: '/en/admin/organisations', expect: ADMINS },
  'GET /{lang}/admin/organisations/new': { url: '/en/admin/organisations/new', expect: ADMINS },
  'POST /{lang}/admin/organisations/new': { url: '/en/admin/organisations/new', expect: ADMINS },
  'GET /{lang}/admin/organisations/:id': { url: '/en/admin/organisations/hk-cmab', expect: ADMINS },
  'POST /{lang}/admin/organisations/:id': { url: '/en/admin/organisations/hk-cmab', expect: ADMINS },
  'GET /{lang}/admin/representation-requests': { url: '/en/admin/representation-requests', expect: ADMINS },
  'POST /{lang}/admin/representation-requests/:id': { url: '/en/admin/representation-requests/999', expect: ADMINS },
  'POST /{lang}/account/represent': { url: '/en/account/represent', expect: SIGNED_IN },
  'GET /{lang}/admin/invitations': { url: '/en/admin/invitations', expect: COORDINATORS },
  'POST /{lang}/admin/invitations': { url: '/en/admin/invitations', expect: COORDINATORS },
  'POST /{lang}/admin/invitations/withdraw': { url: '/en/admin/invitations/withdraw', expect: COORDINATORS },
  'GET /{lang}/invitation': { url: '/en/invitation', expect: EVERYONE },
  'GET /auth/oidc/start': { url: '/auth/oidc/start', expect: NONE },
  'GET /auth/oidc/callback': { url: '/auth/oidc/callback', expect: NONE },
  'POST /{lang}/invitation': { url: '/en/invitation', expect: EVERYONE },
  'GET /{lang}/admin/agreements/:id': { url: '/en/admin/agreements/zjhk-2023', expect: COORDINATORS },
  'POST /{lang}/admin/agreements/:id': { url: '/en/admin/agreements/zjhk-2023', expect: COORDINATORS },
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
};

/**
 * The platform's own routes and the implementation module's: the person the routes about one person
 * are tried on ({target}: not one of the roles, disabling them would change their outcomes), the demo
 * data, and two updates by the matrix officer's agency.
 */
export const coreMatrix: ModuleMatrix = {
  lines: CORE,
  async setup(db: Kysely<Database>, users: Map<Who, string>) {
    const target = randomUUID();
    await insertUser(db, { id: target, email: 'target@example.org', displayName: 'target', locale: 'en', passwordHash: null, emailVerifiedAt: new Date() });
    await loadImplementationDemo(db, { today: '2026-11-26', print: () => {} });
    const action = await db.selectFrom('actions').select(['id', 'commitment_id']).where('lead_hong_kong', '=', 'hk-fstb').orderBy('id').executeTakeFirstOrThrow();
    const officer = users.get('agency-officer') as string;
    const update = (narrative: string) =>
      insertUpdate(db, { actionId: action.id, commitmentId: action.commitment_id, organisationId: 'hk-fstb', side: 'hong-kong', authorId: officer, year: 2026, narrative: { en: narrative }, values: [], projectAgreementIds: [] });
    const draft = await update('A draft');
    const submitted = await update('Submitted');
    await db.updateTable('progress_updates').set({ state: 'submitted', submitted_at: new Date() }).where('id', '=', submitted.id).execute();
    const first = async (table: 'milestones' | 'indicators' | 'project_agreements' | 'meetings', where?: { column: 'action_id'; value: number }) => {
      let query = db.selectFrom(table).select('id').orderBy('id');
      if (where) query = query.where(where.column as never, '=', where.value as never);
      return String((await query.executeTakeFirstOrThrow()).id);
    };
    return {
      target,
      action: String(action.id),
      milestone: await first('milestones', { column: 'action_id', value: action.id }),
      indicator: await first('indicators'),
      'project-agreement': await first('project_agreements'),
      meeting: await first('meetings'),
      draft: String(draft.id),
      submitted: String(submitted.id),
    };
  },
};
