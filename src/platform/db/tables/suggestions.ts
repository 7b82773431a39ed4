/** Table types of suggestions (意見建議): submissions, moderation, merging and official responses. */
export interface SuggestionTables {}
