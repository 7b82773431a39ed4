import { Type as T } from '@sinclair/typebox';

/** The one shape of every API error (see errors.ts). */
const ErrorSchema = T.Object({
  error: T.Object({
    status: T.Integer({ description: 'The HTTP status code' }),
    code: T.String({ description: 'A stable machine-readable code, e.g. not_found' }),
    message: T.String({ description: 'What went wrong, in English' }),
    requestId: T.String({ description: 'Quote this when reporting a problem' }),
    details: T.Optional(T.Array(T.Object({ field: T.String(), message: T.String() }), { description: 'One entry per invalid field' })),
  }),
});

export const ErrorResponses = {
  400: { ...ErrorSchema, description: 'The request is not valid' },
  404: { ...ErrorSchema, description: 'No such resource' },
  500: { ...ErrorSchema, description: 'The server could not complete the request' },
};

export const OPENAPI_INFO = {
  title: 'Zhejiang–Hong Kong Cooperation Platform API',
  version: '1.0.0',
  description:
    'Open data of the Zhejiang–Hong Kong Cooperation Platform: the 2023 cooperation agreement between the Hong Kong SAR Government and the Zhejiang Provincial People’s Government, in Traditional Chinese, Simplified Chinese and English. Free to reuse. Errors always have the shape of the Error schema.',
  license: { name: 'Open data', identifier: 'CC-BY-4.0' },
};
