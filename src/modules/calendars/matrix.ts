import { ADMINS, COORDINATORS, EVERYONE, type ModuleMatrix } from '../../platform/access-matrix.ts';

/** Working-day calendars: public to read; coordinators may look in the admin area, administrators change them. */
export const calendarsMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/calendars': { url: '/en/calendars?year=2026', expect: EVERYONE },
    'GET /{lang}/admin/calendars': { url: '/en/admin/calendars', expect: COORDINATORS },
    'POST /{lang}/admin/calendars': { url: '/en/admin/calendars', expect: ADMINS },
    'GET /{lang}/admin/calendars/:calendar/:year': { url: '/en/admin/calendars/mainland/2026', expect: COORDINATORS },
    'POST /{lang}/admin/calendars/:calendar/:year': { url: '/en/admin/calendars/mainland/2026', expect: ADMINS },
    'POST /{lang}/admin/calendars/:calendar/:year/days': { url: '/en/admin/calendars/mainland/2026/days', expect: ADMINS },
    // Only the administrator's request removes the day (everyone before is refused first).
    'POST /{lang}/admin/calendars/:calendar/:year/days/:date/remove': { url: '/en/admin/calendars/mainland/2027/days/2027-01-01/remove', expect: ADMINS },
  },
};
