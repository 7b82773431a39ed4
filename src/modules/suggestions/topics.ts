import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PageContext } from '../../platform/html/context.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';
import { Nullable } from '../../platform/schemas.ts';

/** The knowledge base's categories are the topics a suggestion may be on (plus "other"). */
const CATEGORIES_FILE = fileURLToPath(new URL('../../../data/knowledge/categories.json', import.meta.url));
const OTHER_TOPIC = 'other';

const CategoriesSchema = T.Array(T.Object({ key: T.String({ pattern: '^[a-z0-9-]{1,64}$' }), parent: Nullable(T.String()), name: LocalizedTextSchema }, { additionalProperties: true }));

interface Topic {
  key: string;
  parent: string | null;
  name: LocalizedText;
}

let cached: Topic[] | undefined;

/** The categories, read once and checked; a child follows its parent. */
function readTopics(file = CATEGORIES_FILE): Topic[] {
  if (file === CATEGORIES_FILE && cached) return cached;
  const entries: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const first = Value.Errors(CategoriesSchema, entries).First();
  if (first) throw new Error(`${file}: ${first.path} ${first.message}`);
  const list = (entries as Topic[]).map((e) => ({ key: e.key, parent: e.parent, name: e.name }));
  const ordered = list.filter((t) => t.parent === null).flatMap((top) => [top, ...list.filter((t) => t.parent === top.key)]);
  if (file === CATEGORIES_FILE) cached = ordered;
  return ordered;
}

export function isTopic(key: string): boolean {
  return key === OTHER_TOPIC || readTopics().some((t) => t.key === key);
}

/** A topic's name in the visitor's language ("Education › Higher education admission" for a child). */
export function topicName(ctx: PageContext, key: string): string {
  if (key === OTHER_TOPIC) return ctx.t('suggestions.topic.other');
  const topics = readTopics();
  const topic = topics.find((t) => t.key === key);
  if (!topic) return key;
  const parent = topic.parent ? topics.find((t) => t.key === topic.parent) : undefined;
  return parent ? `${ctx.text(parent.name)} › ${ctx.text(topic.name)}` : ctx.text(topic.name);
}

/** Every topic, for a select. */
export function topicOptions(ctx: PageContext): { value: string; label: string }[] {
  return [...readTopics().map((t) => ({ value: t.key, label: topicName(ctx, t.key) })), { value: OTHER_TOPIC, label: topicName(ctx, OTHER_TOPIC) }];
}
