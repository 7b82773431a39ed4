import type { ModuleManifest } from '../../platform/module.ts';
import { siteRoutes } from './routes.tsx';
import { siteMessages } from './messages.ts';

export const siteModule: ModuleManifest = {
  name: 'site',
  messages: siteMessages,
  matrix: async () => (await import('./matrix.ts')).siteMatrix,
  openApiTags: [{ name: 'Operations', description: 'Health checks for those who run the platform' }],
  nav: [
    { label: 'nav.home', path: '/', order: 10 },
    { label: 'nav.api', path: '/api-docs', order: 70 },
  ],
  footer: [
    { label: 'footer.accessibility', path: '/accessibility', order: 10 },
    { label: 'footer.api', path: '/api-docs', order: 20 },
  ],
  routes: siteRoutes,
};
