/** Messages of enquiries (諮詢), in the three languages side by side. The English keys define the shape. */
export const enquiriesEn = {};

export const enquiriesZhHant: { [K in keyof typeof enquiriesEn]: (typeof enquiriesEn)[K] } = {};

export const enquiriesZhHans: { [K in keyof typeof enquiriesEn]: (typeof enquiriesEn)[K] } = {};
