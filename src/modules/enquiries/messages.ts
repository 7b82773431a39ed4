import { defineMessages } from '../../platform/i18n/messages.ts';
import { casesMessages } from './messages/cases.ts';
import { handlingMessages } from './messages/handling.ts';

/** Messages of enquiries (諮詢), in the three languages side by side. The English keys define the shape. */
export const enquiriesMessages = defineMessages({
  en: { ...casesMessages.en, ...handlingMessages.en },
  'zh-Hant': { ...casesMessages['zh-Hant'], ...handlingMessages['zh-Hant'] },
  'zh-Hans': { ...casesMessages['zh-Hans'], ...handlingMessages['zh-Hans'] },
});

type EnquiriesMessages = typeof enquiriesMessages.en;
declare module '../../platform/i18n/messages.ts' {
  interface MessageCatalogue extends EnquiriesMessages {}
}
