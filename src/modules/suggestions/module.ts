import type { ModuleManifest } from '../../platform/module.ts';

export const suggestionsModule: ModuleManifest = {
  name: 'suggestions',
};
