// The organisations module's public API: all another module may import from it.

/** The organisations (agencies, custodians, bodies) records name as leads, organisers and handlers. */
export { findOrganisation, findOrganisations, type Organisation } from './queries.ts';
