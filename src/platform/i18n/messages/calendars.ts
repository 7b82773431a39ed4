/** Messages of working-day calendars (Hong Kong general holidays, Mainland holidays and make-up working days)., in the three languages side by side. The English keys define the shape. */
export const calendarsEn = {};

export const calendarsZhHant: { [K in keyof typeof calendarsEn]: (typeof calendarsEn)[K] } = {};

export const calendarsZhHans: { [K in keyof typeof calendarsEn]: (typeof calendarsEn)[K] } = {};
