import type { ModuleManifest } from '../../platform/module.ts';

export const knowledgeModule: ModuleManifest = {
  name: 'knowledge',
};
