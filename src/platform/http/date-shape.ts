/** YYYY-MM-DD in the platform's range (1900 to 2199) (whether the day exists in its month is checked apart). */
export const DATE_SHAPE = '(19|2[01])\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
