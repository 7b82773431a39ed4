import type { ModuleManifest } from '../../platform/module.ts';

export const calendarsModule: ModuleManifest = {
  name: 'calendars',
};
