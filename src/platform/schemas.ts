import { type TSchema, Type as T } from '@sinclair/typebox';

/** A value that may be null, as response and data-file schemas declare it. */
export const Nullable = <S extends TSchema>(schema: S, options?: { description?: string }) => T.Union([schema, T.Null()], options);

/** A calendar date written YYYY-MM-DD. */
export const DateText = T.String({ format: 'date' });
