import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole } from '../../platform/auth/roles.ts';

export const calendarPolicy = definePolicy({
  /**
   * See the calendars in the admin area, with their sources and who changed them: administrators, and
   * the custodian coordinators who answer for the time limits of enquiries.
   */
  'calendar.view': (p) => hasRole(p, 'administrator') || hasRole(p, 'custodian-coordinator'),
  /** Add years and days, remove days, set a year's status and source. */
  'calendar.manage': (p) => hasRole(p, 'administrator'),
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof calendarPolicy> {}
}
