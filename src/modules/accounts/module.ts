import type { ModuleManifest } from '../../platform/module.ts';
import { accountRoutes } from './routes.tsx';

export const accountsModule: ModuleManifest = {
  name: 'accounts',
  routes: accountRoutes,
};
