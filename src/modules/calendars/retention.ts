import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';

/** The working-day calendars' tables in the account of personal data (see platform/retention.ts). */
export const calendarsRetention: RetentionEntry[] = noPersonalData(['calendar_years', 'calendar_days'], 'public holidays; editors by account id');
