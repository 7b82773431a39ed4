import type { ModuleMatrix } from './outcomes.ts';

/** Every module's part of the route × role matrix (modules added since issue 5 keep their lines in their own file here). */
export const MODULE_MATRICES: ModuleMatrix[] = [];
