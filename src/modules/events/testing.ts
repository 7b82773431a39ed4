import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { systemClock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { insertUser } from '../accounts/testing.ts';
import { findOrganisations } from '../organisations/index.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import { type EventRecord, type EventValues, findEvent, insertEvent } from './queries/events.ts';
import { findOccurrences, type Occurrence, syncOccurrences } from './queries/occurrences.ts';
import { expandSchedule } from './recurrence.ts';
import { findAreas, findCommitments } from '../agreements/index.ts';

/** Test factories: real rows, made the way the platform makes them. */

/** A published quarterly symposium on (三)1 with 10 places, from 2027-01-15 14:30 in Hangzhou. */
export async function makeEvent(db: Kysely<Database>, overrides: Partial<EventValues> = {}): Promise<{ event: EventRecord; occurrences: Occurrence[] }> {
  const commitment = (await findCommitments(db)).find((c) => c.areaNumber === 3 && c.number === 1);
  const values: EventValues = {
    type: 'symposium',
    status: 'published',
    title: { 'zh-Hant': '港資企業座談會', 'zh-Hans': '港资企业座谈会', en: 'Symposium for Hong Kong-invested enterprises' },
    description: { en: 'Quarterly symposium.' },
    city: 'hangzhou',
    venue: { en: 'Zhejiang Department of Commerce, Hangzhou' },
    onlineUrl: null,
    timeZone: 'Asia/Shanghai',
    startsLocal: '2027-01-15T14:30',
    durationMinutes: 120,
    rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=4',
    registration: 'platform',
    externalUrl: null,
    capacity: 10,
    requiresApproval: false,
    questions: [],
    feedback: true,
    contactEmail: null,
    organisers: ['zj-commerce'],
    commitmentIds: commitment ? [commitment.id] : [],
    ...overrides,
  };
  const expanded = expandSchedule(values);
  if (!expanded.ok) throw new Error(expanded.error);
  const { reference } = await db.transaction().execute(async (trx) => {
    const saved = await insertEvent(trx, { ...values, year: 2026, createdBy: null });
    await syncOccurrences(trx, saved.id, expanded.occurrences, 'removed', systemClock());
    return saved;
  });
  const event = (await findEvent(db, reference)) as EventRecord;
  return { event, occurrences: await findOccurrences(db, event.id) };
}

/** A person with an account (verified email) in a language. */
export async function makePerson(db: Kysely<Database>, label: string, locale: 'zh-Hant' | 'zh-Hans' | 'en' = 'en'): Promise<{ id: string; name: string; email: string }> {
  const id = randomUUID();
  const email = `${label}@example.org`;
  await insertUser(db, { id, email, displayName: label, locale, passwordHash: null, emailVerifiedAt: systemClock() });
  return { id, name: label, email };
}

/** What emails need: the platform's address and the names of things. */
export async function mailSettings(db: Kysely<Database>): Promise<MailSettings> {
  const [organisations, areas, commitments] = await Promise.all([findOrganisations(db), findAreas(db), findCommitments(db)]);
  return { publicUrl: 'https://zjhk.example.org', lookups: { organisations: new Map(organisations.map((o) => [o.id, o])), areas, commitments } };
}
