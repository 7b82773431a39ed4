/** Table types of the knowledge base (政策解答): categories, articles, their commitments and related articles. */
export interface KnowledgeTables {}
