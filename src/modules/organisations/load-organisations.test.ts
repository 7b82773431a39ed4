import { describe, expect, it } from 'vitest';
import { DATABASES, freshDatabaseEach } from '../../../test/databases.ts';
import { SYSTEM, verifyAuditTrail } from '../../platform/audit/audit.ts';
import { loadOrganisations, readOrganisationsFile } from './load-organisations.ts';
import { findOrganisation, findOrganisations } from './queries.ts';

const entries = readOrganisationsFile();

describe('the organisations reference file', () => {
  it('has the three custodians of the agreement and the two governments, each named in three languages', () => {
    const byKey = new Map(entries.map((e) => [e.key, e]));
    for (const key of ['hk-cmab', 'zj-commerce', 'zj-hkmao']) expect(byKey.get(key)?.type, key).toBe('custodian');
    expect(byKey.get('hk-cmab')?.parent).toBe('hk-government');
    for (const e of entries) for (const l of ['zh-Hant', 'zh-Hans', 'en'] as const) expect(e.name[l], `${e.key} ${l}`).toBeTruthy();
  });
});

describe.each(DATABASES)('loading organisations on %s', (kind) => {
  const t = freshDatabaseEach(kind, { empty: true });

  it('adds every organisation with its parent, once, and audits each change', async () => {
    expect(await loadOrganisations({ db: t.db.kysely, actor: SYSTEM, now: new Date() })).toEqual({ created: entries.length, updated: 0, keptEdited: 0 });
    expect(await loadOrganisations({ db: t.db.kysely, actor: SYSTEM, now: new Date() })).toEqual({ created: 0, updated: 0, keptEdited: 0 });
    expect(await findOrganisations(t.db.kysely)).toHaveLength(entries.length);
    expect(await findOrganisation(t.db.kysely, 'hk-cmab')).toMatchObject({ type: 'custodian', side: 'hong-kong', parentId: 'hk-government', abbreviation: 'CMAB' });

    const renamed = entries.map((e) => (e.key === 'hk-cmab' ? { ...e, name: { ...e.name, en: 'Constitutional and Mainland Affairs Bureau (renamed)' } } : e));
    expect(await loadOrganisations({ db: t.db.kysely, actor: SYSTEM, now: new Date(), entries: renamed })).toEqual({ created: 0, updated: 1, keptEdited: 0 });
    const trail = await t.db.kysely.selectFrom('audit_events').select(['action', 'entity_id', 'changes']).where('action', '=', 'organisation.updated').execute();
    expect(trail).toEqual([
      {
        action: 'organisation.updated',
        entity_id: 'hk-cmab',
        changes: { name: { before: entries.find((e) => e.key === 'hk-cmab')?.name, after: renamed.find((e) => e.key === 'hk-cmab')?.name } },
      },
    ]);
    expect((await verifyAuditTrail(t.db.kysely)).broken).toBeUndefined();

    // Once edited on the platform, an organisation is no longer overwritten by the file.
    await t.db.kysely.updateTable('organisations').set({ phone: '+852 0000 0000', reference_sha256: null }).where('id', '=', 'hk-cmab').execute();
    expect(await loadOrganisations({ db: t.db.kysely, actor: SYSTEM, now: new Date() })).toEqual({ created: 0, updated: 0, keptEdited: 1 });
    expect(await findOrganisation(t.db.kysely, 'hk-cmab')).toMatchObject({ phone: '+852 0000 0000' });
  });
});
