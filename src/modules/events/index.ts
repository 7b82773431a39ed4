// The events module's public API: all another module may import from it.
export { EVENT_TYPES, type EventCountType, type EventStatus, type EventType } from './tables.ts';
