/** Messages of events (活動): calendar, in the three languages side by side. The English keys define the shape. */
export const eventsCalendarEn = {
};

type Shape = typeof eventsCalendarEn;

export const eventsCalendarZhHant: Shape = {
};

export const eventsCalendarZhHans: Shape = {
};
