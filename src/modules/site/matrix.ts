import { EVERYONE, type ModuleMatrix } from '../../platform/access-matrix.ts';

/** The site's frame: the language redirect, health checks, the accessibility statement and the API description. */
export const siteMatrix: ModuleMatrix = {
  lines: {
    'GET /': { url: '/', expect: EVERYONE },
    'GET /healthz': { url: '/healthz', expect: EVERYONE },
    'GET /readyz': { url: '/readyz', expect: EVERYONE },
    'GET /api/v1/openapi.json': { url: '/api/v1/openapi.json', expect: EVERYONE },
    'GET /{lang}/accessibility': { url: '/en/accessibility', expect: EVERYONE },
    'GET /{lang}/api-docs': { url: '/en/api-docs', expect: EVERYONE },
  },
};
