import type { ModuleManifest } from '../../platform/module.ts';
import { siteRoutes } from './routes.tsx';

export const siteModule: ModuleManifest = {
  name: 'site',
  routes: siteRoutes,
};
