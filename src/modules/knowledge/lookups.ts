import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { categoryLine } from './index-articles.ts';
import { findAreas, findCommitments } from '../agreements/index.ts';
import { countPublicArticles, findCategories } from './queries.ts';
import { AGREEMENT_ID } from './schemas.ts';
import type { CategoryTree, CommitmentNames } from './views/public.tsx';

/** The category tree, with the number of public articles under each category (its own and its sub-categories'). */
export async function loadCategoryTree(db: Kysely<Database>): Promise<CategoryTree> {
  const [categories, own] = await Promise.all([findCategories(db), countPublicArticles(db)]);
  const byKey = new Map(categories.map((c) => [c.key, c]));
  const children = (key: string | null) => categories.filter((c) => c.parentKey === key);
  const totals = new Map<string, number>();
  const count = (key: string): number => {
    let total = totals.get(key);
    if (total === undefined) {
      total = (own.get(key) ?? 0) + children(key).reduce((sum, c) => sum + count(c.key), 0);
      totals.set(key, total);
    }
    return total;
  };
  return { categories, byKey, count, children, line: (key) => categoryLine(categories, key) };
}

/** What pages need to name and link the agreement's commitments. */
export async function loadCommitmentNames(db: Kysely<Database>): Promise<CommitmentNames> {
  const [commitments, areas] = await Promise.all([findCommitments(db, AGREEMENT_ID), findAreas(db, AGREEMENT_ID)]);
  return { commitments, areas };
}
