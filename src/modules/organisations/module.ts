import type { ModuleManifest } from '../../platform/module.ts';
import { organisationAdminRoutes } from './admin.tsx';
import { loadOrganisations } from './load-organisations.ts';
import { organisationPolicy } from './policy.ts';
import { organisationsMessages } from './messages.ts';

export const organisationsModule: ModuleManifest = {
  name: 'organisations',
  messages: organisationsMessages,
  matrix: async () => (await import('./matrix.ts')).organisationsMatrix,
  policy: organisationPolicy,
  adminLinks: [{ label: 'orgs.title', path: '/admin/organisations', action: 'organisation.manage', order: 50 }],
  routes: organisationAdminRoutes,
  async seed(ctx) {
    ctx.print('Loading organisations from data/organisations/ …');
    await loadOrganisations({ db: ctx.db.kysely, actor: ctx.actor, progress: ctx.print, now: ctx.now() });
  },
};
