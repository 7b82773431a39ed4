import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { LocalizedTextSchema } from '../../platform/i18n/schemas.ts';

const CITIES_FILE = fileURLToPath(new URL('../../../data/events/cities.json', import.meta.url));

export interface City {
  key: string;
  name: LocalizedText;
}

const CitiesSchema = T.Array(T.Object({ key: T.String({ pattern: '^[a-z0-9-]{1,40}$' }), name: LocalizedTextSchema }, { additionalProperties: false }), { minItems: 1 });

let cities: City[] | undefined;

/** Where events take place: Zhejiang's eleven cities, Hong Kong, online and elsewhere (data/events/cities.json). */
export function eventCities(): City[] {
  if (!cities) {
    const data: unknown = JSON.parse(fs.readFileSync(CITIES_FILE, 'utf8'));
    if (!Value.Check(CitiesSchema, data)) throw new Error(`${CITIES_FILE} is not a list of cities: ${[...Value.Errors(CitiesSchema, data)][0]?.message}`);
    cities = data;
  }
  return cities;
}

export const isCity = (key: string): boolean => eventCities().some((c) => c.key === key);
