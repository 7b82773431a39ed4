// The events module's public API: all another module may import from it.
export type { EventCountType, EventStatus, EventType } from './tables.ts';
