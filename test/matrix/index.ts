import { calendarsMatrix } from './calendars.ts';
import { enquiriesMatrix } from './enquiries.ts';
import { eventsMatrix } from './events.ts';
import { knowledgeMatrix } from './knowledge.ts';
import type { ModuleMatrix } from './outcomes.ts';
import { suggestionsMatrix } from './suggestions.ts';

/** Every module's part of the route × role matrix (modules added since issue 5 keep their lines in their own file here). */
export const MODULE_MATRICES: ModuleMatrix[] = [calendarsMatrix, knowledgeMatrix, enquiriesMatrix, suggestionsMatrix, eventsMatrix];
