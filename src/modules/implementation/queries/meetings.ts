import { sql } from 'kysely';
import { json } from '../../../platform/db/index.ts';
import { insertNumbered, referenceNumber } from '../../../platform/db/reference.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import type { MeetingType } from '../tables.ts';
import { anyOf, type Q } from './shared.ts';

/** Meetings (plenaries, working groups, symposiums), their participants and numbered decisions. */

interface MeetingDecision {
  id: number;
  number: number;
  text: LocalizedText;
  commitmentId: number | null;
}

export interface Meeting {
  id: number;
  reference: string;
  type: MeetingType;
  title: LocalizedText;
  heldOn: string;
  place: LocalizedText;
  minutes: LocalizedText;
  illustrative: boolean;
  participants: string[];
  decisions: MeetingDecision[];
}

export async function findMeetings(db: Q, filter: { ids?: number[] } = {}): Promise<Meeting[]> {
  let query = db.selectFrom('meetings').selectAll();
  if (filter.ids) query = filter.ids.length ? query.where('id', '=', anyOf(filter.ids)) : query.where(sql<boolean>`false`);
  const rows = await query.orderBy('held_on', 'desc').orderBy('id', 'desc').execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [participants, decisions] = await Promise.all([
    db.selectFrom('meeting_participants').selectAll().where('meeting_id', '=', anyOf(ids)).orderBy('organisation_id').execute(),
    db.selectFrom('meeting_decisions').selectAll().where('meeting_id', '=', anyOf(ids)).orderBy('number').execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    type: r.type,
    title: r.title,
    heldOn: r.held_on,
    place: r.place,
    minutes: r.minutes,
    illustrative: r.illustrative,
    participants: participants.filter((p) => p.meeting_id === r.id).map((p) => p.organisation_id),
    decisions: decisions.filter((d) => d.meeting_id === r.id).map((d) => ({ id: d.id, number: d.number, text: d.text, commitmentId: d.commitment_id })),
  }));
}

export type MeetingValues = Omit<Meeting, 'id' | 'reference' | 'illustrative' | 'decisions'> & { decisions: Omit<MeetingDecision, 'id'>[] };

export async function saveMeeting(db: Q, id: number | undefined, m: MeetingValues, now: Date): Promise<{ id: number; reference: string }> {
  const columns = { type: m.type, title: json(m.title), held_on: m.heldOn, place: json(m.place), minutes: json(m.minutes) };
  let saved: { id: number; reference: string };
  if (id === undefined) {
    const insert = (reference: string) =>
      db
        .insertInto('meetings')
        .values({ reference, ...columns })
        .returning('id')
        .executeTakeFirstOrThrow();
    saved = await insertNumbered(db, 'meetings', insert, (id) => referenceNumber('ZJHK-M', m.heldOn.slice(0, 4), id, 3));
  } else {
    saved = await db
      .updateTable('meetings')
      .set({ ...columns, updated_at: now })
      .where('id', '=', id)
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
  }
  await db.deleteFrom('meeting_participants').where('meeting_id', '=', saved.id).execute();
  if (m.participants.length)
    await db
      .insertInto('meeting_participants')
      .values(m.participants.map((organisation_id) => ({ meeting_id: saved.id, organisation_id })))
      .execute();
  // Decisions are kept by number, so actions created from one stay linked when the minutes are edited.
  const existing = await db.selectFrom('meeting_decisions').select(['id', 'number']).where('meeting_id', '=', saved.id).execute();
  for (const d of m.decisions) {
    const values = { text: json(d.text), commitment_id: d.commitmentId };
    if (existing.some((e) => e.number === d.number)) {
      await db.updateTable('meeting_decisions').set(values).where('meeting_id', '=', saved.id).where('number', '=', d.number).execute();
    } else {
      await db
        .insertInto('meeting_decisions')
        .values({ meeting_id: saved.id, number: d.number, ...values })
        .execute();
    }
  }
  const removed = existing.filter((e) => !m.decisions.some((d) => d.number === e.number)).map((e) => e.id);
  if (removed.length) {
    await db.updateTable('actions').set({ decision_id: null }).where('decision_id', '=', anyOf(removed)).execute();
    await db.deleteFrom('meeting_decisions').where('id', '=', anyOf(removed)).execute();
  }
  return saved;
}

/** The plenary held before a date, if any: "progress since the previous plenary" starts there. */
export async function findPreviousPlenary(db: Q, before: string): Promise<{ id: number; heldOn: string; reference: string } | undefined> {
  const row = await db.selectFrom('meetings').select(['id', 'held_on', 'reference']).where('type', '=', 'plenary').where('held_on', '<', before).orderBy('held_on', 'desc').limit(1).executeTakeFirst();
  return row ? { id: row.id, heldOn: row.held_on, reference: row.reference } : undefined;
}
