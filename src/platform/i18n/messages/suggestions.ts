/** Messages of suggestions (意見建議), in the three languages side by side. The English keys define the shape. */
export const suggestionsEn = {};

export const suggestionsZhHant: { [K in keyof typeof suggestionsEn]: (typeof suggestionsEn)[K] } = {};

export const suggestionsZhHans: { [K in keyof typeof suggestionsEn]: (typeof suggestionsEn)[K] } = {};
