import { defineMessages } from '../../platform/i18n/messages.ts';
import { recordsMessages } from './messages/records.ts';
import { workspaceMessages } from './messages/workspace.ts';

/** Messages of implementation (落實), in the three languages side by side. The English keys define the shape. */
export const implementationMessages = defineMessages({
  en: { ...recordsMessages.en, ...workspaceMessages.en },
  'zh-Hant': { ...recordsMessages['zh-Hant'], ...workspaceMessages['zh-Hant'] },
  'zh-Hans': { ...recordsMessages['zh-Hans'], ...workspaceMessages['zh-Hans'] },
});

type ImplementationMessages = typeof implementationMessages.en;
declare module '../../platform/i18n/messages.ts' {
  interface MessageCatalogue extends ImplementationMessages {}
}
