import { ADMINS, type ModuleMatrix } from '../../platform/access-matrix.ts';

/** Organisations: kept by administrators. */
export const organisationsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/admin/organisations': { url: '/en/admin/organisations', expect: ADMINS },
    'GET /{lang}/admin/organisations/new': { url: '/en/admin/organisations/new', expect: ADMINS },
    'POST /{lang}/admin/organisations/new': { url: '/en/admin/organisations/new', expect: ADMINS },
    'GET /{lang}/admin/organisations/:id': { url: '/en/admin/organisations/hk-cmab', expect: ADMINS },
    'POST /{lang}/admin/organisations/:id': { url: '/en/admin/organisations/hk-cmab', expect: ADMINS },
  },
};
