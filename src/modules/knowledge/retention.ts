import { noPersonalData, type RetentionEntry } from '../../platform/retention.ts';

/** The knowledge base's tables in the account of personal data (see platform/retention.ts). */
export const knowledgeRetention: RetentionEntry[] = noPersonalData(
  ['knowledge_categories', 'knowledge_articles', 'knowledge_article_commitments', 'knowledge_related_articles'],
  'articles written from public rules; editors by account id',
);
