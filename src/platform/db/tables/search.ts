import type { ColumnType } from 'kysely';
import type { LocalizedText } from '../../i18n/locales.ts';

/**
 * The text every module indexes for search (issue 5): one row a searchable record, keyed by its kind
 * ('article', 'event' …) and the record's own key. `lexemes` is a tsvector literal built by the
 * application's analyser (src/platform/search), never by the database's text-search configuration.
 */
interface SearchDocumentsTable {
  kind: string;
  key: string;
  title: ColumnType<LocalizedText, string, string>;
  body: ColumnType<LocalizedText, string, string>;
  visibility: 'public' | 'internal';
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** Title and body: the title's lexemes weighted A, the body's D. */
  lexemes: string;
  /** The title's lexemes alone (small, kept in the row): ranks candidates without reading the body's. */
  title_lexemes: ColumnType<string, string | undefined, string>;
  /** How many tokens the title and body have (a longer document ranks lower). */
  token_count: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SearchTables {
  search_documents: SearchDocumentsTable;
}
