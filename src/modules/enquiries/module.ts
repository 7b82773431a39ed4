import type { ModuleManifest } from '../../platform/module.ts';

export const enquiriesModule: ModuleManifest = {
  name: 'enquiries',
};
