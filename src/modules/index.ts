import type { ModuleManifest } from '../platform/module.ts';
import { accountsModule } from './accounts/module.ts';
import { adminModule } from './admin/module.ts';
import { agreementsModule } from './agreements/module.ts';
import { implementationModule } from './implementation/module.tsx';
import { calendarsModule } from './calendars/module.ts';
import { enquiriesModule } from './enquiries/module.ts';
import { knowledgeModule } from './knowledge/module.ts';
import { suggestionsModule } from './suggestions/module.tsx';
import { eventsModule } from './events/module.ts';
import { organisationsModule } from './organisations/module.ts';
import { siteModule } from './site/module.ts';

/** Every module, in the order their routes, seeds and commands are registered. */
export const modules: ModuleManifest[] = [
  siteModule,
  organisationsModule,
  accountsModule,
  agreementsModule,
  implementationModule,
  calendarsModule,
  knowledgeModule,
  enquiriesModule,
  suggestionsModule,
  eventsModule,
  adminModule,
];
