import type { FastifyRequest } from 'fastify';
import { LOCALE_INFO, type Locale, pick } from '../../platform/i18n/locales.ts';
import type { AppContext } from '../../platform/module.ts';
import { findOrganisations, type Organisation } from '../organisations/index.ts';
import { findTopics, type Topic } from './queries/topics.ts';

/** Organisations that handle enquiries: government agencies and statutory bodies of either side. */
const HANDLING_TYPES = new Set(['government-agency', 'custodian', 'statutory-body']);

/** What the module's pages look up again and again. */
export function lookups(ctx: AppContext) {
  const db = ctx.db.kysely;
  const organisations = async (): Promise<Map<string, Organisation>> => new Map((await findOrganisations(db)).map((o) => [o.id, o]));
  return {
    organisations,
    topics: async (): Promise<Topic[]> => findTopics(db),
    topicMap: async (): Promise<Map<string, Topic>> => new Map((await findTopics(db)).map((t) => [t.key, t])),
    /** The agencies a case may be sent to, by id, in name order for the page's language. */
    agencies: async (locale: Locale): Promise<Map<string, Organisation>> => {
      const list = [...(await organisations()).values()].filter((o) => (o.side === 'hong-kong' || o.side === 'zhejiang') && HANDLING_TYPES.has(o.type));
      const name = (o: Organisation) => pick(o.name, locale).text;
      return new Map(list.sort((a, b) => a.side.localeCompare(b.side) || name(a).localeCompare(name(b), LOCALE_INFO[locale].intl)).map((o) => [o.id, o]));
    },
  };
}

/** Text fields of a request body as strings (for showing a form again as it was typed). */
export function bodyText(request: FastifyRequest, name: string): string {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}
