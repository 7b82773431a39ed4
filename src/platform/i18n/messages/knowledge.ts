/** Messages of the knowledge base (政策解答), in the three languages side by side. The English keys define the shape. */
export const knowledgeEn = {};

export const knowledgeZhHant: { [K in keyof typeof knowledgeEn]: (typeof knowledgeEn)[K] } = {};

export const knowledgeZhHans: { [K in keyof typeof knowledgeEn]: (typeof knowledgeEn)[K] } = {};
