import type { ModuleManifest } from '../../platform/module.ts';
import { organisationAdminRoutes } from './admin.tsx';
import { loadOrganisations } from './load-organisations.ts';
import './policy.ts';

export const organisationsModule: ModuleManifest = {
  name: 'organisations',
  routes: organisationAdminRoutes,
  async seed(ctx) {
    ctx.print('Loading organisations from data/organisations/ …');
    await loadOrganisations({ db: ctx.db.kysely, actor: ctx.actor, progress: ctx.print });
  },
};
