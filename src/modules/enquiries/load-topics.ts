import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import { type Actor, audit } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';
import { findOrganisations } from '../organisations/index.ts';
import { ensureSettings } from './queries/settings.ts';
import { upsertTopic } from './queries/topics.ts';

const TOPICS_FILE = fileURLToPath(new URL('../../../data/enquiries/topics.json', import.meta.url));
const CATEGORIES_FILE = fileURLToPath(new URL('../../../data/knowledge/categories.json', import.meta.url));

const TopicsFileSchema = T.Object({
  about: T.Optional(T.String()),
  topics: T.Array(
    T.Object(
      {
        key: T.String({ pattern: '^[a-z0-9-]{1,64}$' }),
        category: Nullable(T.String()),
        agency: T.String(),
        name: T.Optional(LocalizedTextSchema),
      },
      { additionalProperties: false },
    ),
    { minItems: 1 },
  ),
});
const CategoriesSchema = T.Array(T.Object({ key: T.String(), name: LocalizedTextSchema }));

export interface TopicEntry {
  key: string;
  category: string | null;
  agency: string;
  name: LocalizedText;
}

function readJson<S extends Parameters<typeof Value.Errors>[0]>(file: string, schema: S): Static<S> {
  const data: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const first = Value.Errors(schema, data).First();
  if (first) throw new Error(`${file}: ${first.path} ${first.message}`);
  return data as Static<S>;
}

/** The topics of the reference file, each with its name (a category's name unless it names itself). */
export function readTopicsFile(file = TOPICS_FILE, categoriesFile = CATEGORIES_FILE): TopicEntry[] {
  const { topics } = readJson(file, TopicsFileSchema);
  const categories = new Map(readJson(categoriesFile, CategoriesSchema).map((c) => [c.key, c.name]));
  const keys = new Set<string>();
  return topics.map((t) => {
    if (keys.has(t.key)) throw new Error(`${file}: the topic ${t.key} is listed twice`);
    keys.add(t.key);
    if (t.category !== null && !categories.has(t.category)) throw new Error(`${file}: the topic ${t.key} names an unknown category ${t.category} (see ${categoriesFile})`);
    const name = t.name ?? (t.category !== null ? categories.get(t.category) : undefined);
    if (!name?.['zh-Hant'] || !name['zh-Hans'] || !name.en) throw new Error(`${file}: the topic ${t.key} needs a name in all three languages (or a category that has one)`);
    return { key: t.key, category: t.category, agency: t.agency, name };
  });
}

/**
 * Loads the topics (every start, idempotent) and the default settings if there are none. Routing a
 * coordinator changed is kept; each topic added or changed is in the audit trail.
 */
export async function loadTopics(options: { db: Kysely<Database>; actor: Actor; entries?: TopicEntry[]; print?: (line: string) => void }): Promise<{ created: number; updated: number }> {
  const entries = options.entries ?? readTopicsFile();
  const counts = await options.db.transaction().execute(async (trx) => {
    const agencies = new Set((await findOrganisations(trx)).map((o) => o.id));
    const unknown = entries.find((e) => !agencies.has(e.agency));
    if (unknown) throw new Error(`${TOPICS_FILE}: the topic ${unknown.key} names an unknown agency ${unknown.agency} (see data/organisations/organisations.json)`);
    let created = 0;
    let updated = 0;
    for (const [position, e] of entries.entries()) {
      const outcome = await upsertTopic(trx, { key: e.key, name: e.name, category: e.category, defaultAgencyId: e.agency, position });
      if (outcome === 'unchanged') continue;
      if (outcome === 'created') created++;
      else updated++;
      await audit(trx, {
        actor: options.actor,
        action: `enquiry-topic.${outcome}`,
        entity: { type: 'enquiry-topic', id: e.key },
        changes: { name: { before: null, after: e.name }, defaultAgency: { before: null, after: e.agency } },
      });
    }
    if (await ensureSettings(trx)) {
      await audit(trx, { actor: options.actor, action: 'enquiry-settings.created', entity: { type: 'enquiry-settings', id: 'settings' }, changes: { settings: { before: null, after: 'defaults' } } });
    }
    return { created, updated };
  });
  options.print?.(`Enquiry topics: ${counts.created} added, ${counts.updated} updated, ${entries.length - counts.created - counts.updated} unchanged.`);
  return counts;
}
