/** Table types of search_documents: the text every module indexes for search (issue 5). */
export interface SearchTables {}
