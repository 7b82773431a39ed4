import { Type as T } from '@sinclair/typebox';

/** A text in the platform's three languages (LocalizedText), as request, response and data-file schemas declare it. */
export const LocalizedTextSchema = T.Object(
  { 'zh-Hant': T.Optional(T.String()), 'zh-Hans': T.Optional(T.String()), en: T.Optional(T.String()) },
  { additionalProperties: false, description: 'Text in Traditional Chinese, Simplified Chinese and English' },
);
