import type { ModuleManifest } from '../../platform/module.ts';
import './policy.ts';
import { adminRoutes } from './routes.tsx';

export const adminModule: ModuleManifest = {
  name: 'admin',
  routes: adminRoutes,
};
