import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';
import { PURGE_REGISTRATIONS, purgeRegistrationAnswers, REGISTRATION_ANSWER_MONTHS } from './purge-registrations.ts';

/** The events' tables in the account of personal data (see platform/retention.ts). */
export const eventsRetention: RetentionEntry[] = [
  {
    table: 'event_registrations',
    personalData: 'who registered for which date, their answers to the organiser’s questions, a rejection’s reason, check-in',
    goes: `answers and reasons: ${REGISTRATION_ANSWER_MONTHS} months after the date ends; the registration itself (attendance, counted by indicators) with the account`,
    how: `daily job \`${PURGE_REGISTRATIONS}\``,
    job: PURGE_REGISTRATIONS,
    purge: (db, { now }) => purgeRegistrationAnswers(db, now),
  },
  { table: 'events', personalData: 'the organiser’s contact address (a work address, shown to the public)', goes: 'while the event is listed; the organiser edits it', how: 'edited by the organiser' },
  ...noPersonalData(['event_occurrences', 'event_organisers', 'event_commitments'], 'dates, places, organising agencies, commitments and reports'),
];
