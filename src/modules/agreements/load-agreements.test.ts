import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { blockText, documentBlocks } from './document.ts';
import { loadAgreements } from './load-agreements.ts';
import { findAgreement, findRenewalHistory, findRevisions } from './queries.ts';
import { recordRenewal } from './record-renewal.ts';
import { type AgreementContent, readAllAgreementSources } from './source.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';

const source = readAllAgreementSources().find((a) => a.id === 'zjhk-2023') as AgreementContent;
const clone = (): AgreementContent => structuredClone(source);

describe.each(DATABASES)('loading agreements on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  it('stores the whole text in three languages and reads it back unchanged', async () => {
    const [result] = await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely });
    expect(result).toMatchObject({ id: 'zjhk-2023', outcome: 'created', revision: 1 });
    const stored = await findAgreement(t.db.kysely, 'zjhk-2023');
    expect(stored).toBeDefined();
    for (const locale of ['zh-Hant', 'zh-Hans', 'en'] as const) {
      expect(documentBlocks(stored as AgreementContent, locale).map(blockText)).toEqual(documentBlocks(source, locale).map(blockText));
    }
    expect(stored?.areas.flatMap((a) => a.commitments)).toHaveLength(42);
    expect(stored).toMatchObject({ effectiveFrom: '2023-06-26', expiresOn: '2026-06-26', signedOn: '2023-06-26', renewal: null });
  });

  it('is idempotent, and versions a changed text with the passages that changed', async () => {
    await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely });
    const [again] = await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely });
    expect(again).toMatchObject({ outcome: 'unchanged', revision: 1 });

    const amended = clone();
    const first = amended.areas[0]?.commitments[0];
    if (!first) throw new Error('no commitment 1-1');
    first.text = { ...first.text, en: `${first.text.en} (amended)` };
    const [updated] = await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely, sources: [amended] });
    expect(updated).toMatchObject({ outcome: 'updated', revision: 2, changes: ['areas.1.commitments.1.text.en'] });
    const stored = await findAgreement(t.db.kysely, 'zjhk-2023');
    expect(stored?.areas[0]?.commitments[0]?.text.en).toMatch(/\(amended\)$/);
    expect((await findRevisions(t.db.kysely, 'zjhk-2023')).map((r) => r.revision)).toEqual([1, 2]);
  });

  it('refuses a text that drops a commitment and leaves the stored one whole', async () => {
    await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely });
    const shorter = clone();
    shorter.areas[11]?.commitments.pop();
    shorter.areas[0]?.commitments.forEach((c) => {
      c.text = { ...c.text, en: 'changed' };
    });
    await expect(loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely, sources: [shorter] })).rejects.toThrow(/drops commitments 12-3/);
    const stored = await findAgreement(t.db.kysely, 'zjhk-2023');
    expect(stored?.revision).toBe(1);
    expect(stored?.areas[0]?.commitments[0]?.text.en).toBe(source.areas[0]?.commitments[0]?.text.en);
  });

  it('records renewal decisions with their history, and checks them', async () => {
    await loadAgreements({ actor: SYSTEM, now: new Date(), db: t.db.kysely });
    const db = t.db.kysely;
    await recordRenewal({ db, now: new Date(), agreementId: 'zjhk-2023', status: 'negotiating', note: 'First round held', actor: SYSTEM });
    expect((await findAgreement(db, 'zjhk-2023'))?.renewal).toMatchObject({ status: 'negotiating', note: 'First round held', renewedById: null });

    await expect(recordRenewal({ db, now: new Date(), agreementId: 'zjhk-2023', status: 'renewed', actor: SYSTEM })).rejects.toThrow(HttpError);
    await expect(recordRenewal({ db, now: new Date(), agreementId: 'zjhk-2023', status: 'renewed', renewedById: 'zjhk-2026', actor: SYSTEM })).rejects.toThrow(/No agreement zjhk-2026/);
    await expect(recordRenewal({ db, now: new Date(), agreementId: 'nope', status: 'lapsed', actor: SYSTEM })).rejects.toThrow(/No agreement nope/);

    const successor = clone();
    successor.id = 'zjhk-2026';
    successor.effectiveFrom = '2026-06-27';
    successor.expiresOn = '2029-06-26';
    await loadAgreements({ actor: SYSTEM, now: new Date(), db, sources: [successor] });
    await recordRenewal({ db, now: new Date(), agreementId: 'zjhk-2023', status: 'renewed', renewedById: 'zjhk-2026', actor: SYSTEM });
    const renewed = await findAgreement(db, 'zjhk-2023');
    expect(renewed?.renewal).toMatchObject({ status: 'renewed', renewedById: 'zjhk-2026', renewedByTitle: successor.title });

    await recordRenewal({ db, now: new Date(), agreementId: 'zjhk-2023', status: 'none', actor: SYSTEM });
    expect((await findAgreement(db, 'zjhk-2023'))?.renewal).toBeNull();
    const history = await findRenewalHistory(db, 'zjhk-2023');
    expect(history.map((h) => h.renewal_status)).toEqual(['negotiating', 'renewed', null]);
    const trail = await db.selectFrom('audit_events').select(['action', 'changes']).where('entity_type', '=', 'agreement').orderBy('id').execute();
    expect(trail.map((e) => e.action)).toEqual(['agreement.loaded', 'agreement.renewal.recorded', 'agreement.loaded', 'agreement.renewal.recorded', 'agreement.renewal.recorded']);
    expect(trail[1]?.changes).toEqual({
      renewal_status: { before: null, after: 'negotiating' },
      renewal_note: { before: null, after: 'First round held' },
    });
  });
});
