/** Messages of search_documents, in the three languages side by side. The English keys define the shape. */
export const searchEn = {};

export const searchZhHant: { [K in keyof typeof searchEn]: (typeof searchEn)[K] } = {};

export const searchZhHans: { [K in keyof typeof searchEn]: (typeof searchEn)[K] } = {};
