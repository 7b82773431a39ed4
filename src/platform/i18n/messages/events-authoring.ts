/** Messages of events (活動): authoring, in the three languages side by side. The English keys define the shape. */
export const eventsAuthoringEn = {
};

type Shape = typeof eventsAuthoringEn;

export const eventsAuthoringZhHant: Shape = {
};

export const eventsAuthoringZhHans: Shape = {
};
