/** Messages of events (活動): attendance, in the three languages side by side. The English keys define the shape. */
export const eventsAttendanceEn = {
};

type Shape = typeof eventsAttendanceEn;

export const eventsAttendanceZhHant: Shape = {
};

export const eventsAttendanceZhHans: Shape = {
};
