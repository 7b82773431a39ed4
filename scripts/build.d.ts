// Types of scripts/build.js (plain JavaScript, since it runs before anything is compiled).
export const STAMP: string;
export function isStale(): boolean;
export function canBuild(): boolean;
/** Builds dist/ if stale, one process at a time; true if this call built it. */
export function ensureBuilt(): boolean;
export function build(): void;
