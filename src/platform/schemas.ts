import { FormatRegistry, type TSchema, Type as T } from '@sinclair/typebox';
import { isDate } from './http/dates.ts';

/**
 * The formats TypeBox checks (forms, data files, the tests' reading of API answers): a real calendar
 * date in the platform's range, as query strings take it, and an email address. Fastify's own
 * validator knows them separately.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
FormatRegistry.Set('date', isDate);
FormatRegistry.Set('email', (value) => EMAIL.test(value));

/** A value that may be null, as response and data-file schemas declare it. */
export const Nullable = <S extends TSchema>(schema: S, options?: { description?: string }) => T.Union([schema, T.Null()], options);

/** A calendar date written YYYY-MM-DD. */
export const DateText = T.String({ format: 'date' });
