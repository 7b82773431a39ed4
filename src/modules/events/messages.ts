import { defineMessages } from '../../platform/i18n/messages.ts';
import { registrationMessages } from './messages/registration.ts';
import { authoringMessages } from './messages/authoring.ts';
import { calendarMessages } from './messages/calendar.ts';
import { attendanceMessages } from './messages/attendance.ts';
import { indicatorCountsMessages } from './messages/indicator-counts.ts';

/** Messages of events (活動), in the three languages side by side. The English keys define the shape. */
export const eventsMessages = defineMessages({
  en: { ...registrationMessages.en, ...authoringMessages.en, ...calendarMessages.en, ...attendanceMessages.en, ...indicatorCountsMessages.en },
  'zh-Hant': { ...registrationMessages['zh-Hant'], ...authoringMessages['zh-Hant'], ...calendarMessages['zh-Hant'], ...attendanceMessages['zh-Hant'], ...indicatorCountsMessages['zh-Hant'] },
  'zh-Hans': { ...registrationMessages['zh-Hans'], ...authoringMessages['zh-Hans'], ...calendarMessages['zh-Hans'], ...attendanceMessages['zh-Hans'], ...indicatorCountsMessages['zh-Hans'] },
});

type EventsMessages = typeof eventsMessages.en;
declare module '../../platform/i18n/messages.ts' {
  interface MessageCatalogue extends EventsMessages {}
}
