// The knowledge module's tables, added to the platform's Database by declaration merging.
import type { ColumnType, Generated } from 'kysely';
import type { Json, JsonDefault, NullableTimestamp, Timestamp } from '../../platform/db/schema.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';

export type ArticleStatus = 'draft' | 'internal' | 'public';
export type ArticleOrigin = 'seed' | 'platform';

/** Where an article's answer comes from: the publisher, the document, its date and, if it is online, its address. */
export interface ArticleSource {
  publisher: string;
  title: string;
  date: string;
  url?: string;
}

export interface KnowledgeCategoriesTable {
  key: string;
  parent_key: string | null;
  position: number;
  name: Json<LocalizedText>;
  /** Codes of the commitments the category serves ("11-1"). */
  commitments: JsonDefault<string[]>;
}

export interface KnowledgeArticlesTable {
  id: Generated<number>;
  slug: string;
  category_key: string;
  status: ArticleStatus;
  title: Json<LocalizedText>;
  /** Markdown per language. */
  body: JsonDefault<LocalizedText>;
  responsible_agency: string;
  review_on: string;
  sources: JsonDefault<ArticleSource[]>;
  origin: ArticleOrigin;
  /** The hash of the files the article was last loaded from (seeded articles). */
  seed_sha256: string | null;
  /** Changed by an officer since it was loaded from its files: the files no longer overwrite it. */
  edited_on_platform: ColumnType<boolean, boolean | undefined, boolean>;
  /** When it first became public. */
  published_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface KnowledgeArticleCommitmentsTable {
  article_id: number;
  commitment_id: number;
}

export interface KnowledgeRelatedArticlesTable {
  article_id: number;
  related_id: number;
  position: number;
}

/** Table types of the knowledge base (政策解答): categories, articles, their commitments and related articles. */
declare module '../../platform/db/schema.ts' {
  interface Database {
    knowledge_categories: KnowledgeCategoriesTable;
    knowledge_articles: KnowledgeArticlesTable;
    knowledge_article_commitments: KnowledgeArticleCommitmentsTable;
    knowledge_related_articles: KnowledgeRelatedArticlesTable;
  }
}
