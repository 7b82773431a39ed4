// For tests of other modules and of the platform: what they may use of the accounts module.

/** Inserts a person and their roles directly, without the registration and invitation journeys. */
export { insertRole, insertUser } from './queries.ts';
