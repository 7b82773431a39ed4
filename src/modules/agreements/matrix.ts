import { COORDINATORS, EVERYONE, type ModuleMatrix } from '../../platform/access-matrix.ts';

/** The agreement: public to read (the home page too, and the API); coordinators record its status. */
export const agreementsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/': { url: '/en/', expect: EVERYONE },
    'GET /api/v1/agreements': { url: '/api/v1/agreements', expect: EVERYONE },
    'GET /api/v1/agreements/:id': { url: '/api/v1/agreements/zjhk-2023', expect: EVERYONE },
    'GET /{lang}/agreements': { url: '/en/agreements', expect: EVERYONE },
    'GET /{lang}/agreements/:id': { url: '/en/agreements/zjhk-2023', expect: EVERYONE },
    'GET /{lang}/agreements/:id/areas/:area': { url: '/en/agreements/zjhk-2023/areas/1', expect: EVERYONE },
    'GET /{lang}/agreements/:id/commitments/:code': { url: '/en/agreements/zjhk-2023/commitments/1-1', expect: EVERYONE },
    'GET /{lang}/agreements/:id/compare': { url: '/en/agreements/zjhk-2023/compare', expect: EVERYONE },
    'GET /{lang}/agreements/:id/print': { url: '/en/agreements/zjhk-2023/print', expect: EVERYONE },
    'GET /{lang}/admin/agreements/:id': { url: '/en/admin/agreements/zjhk-2023', expect: COORDINATORS },
    'POST /{lang}/admin/agreements/:id': { url: '/en/admin/agreements/zjhk-2023', expect: COORDINATORS },
  },
};
