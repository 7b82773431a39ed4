import { insertArticle } from './queries.ts';
import { EVERYONE, F, type ModuleMatrix, O, S, WORKSPACE } from '../../platform/access-matrix.ts';

/** Who may change an article of another agency (zj-hkmao) than the matrix's officer's (hk-fstb): coordinators and administrators. */
const MANAGERS_OF_OTHER_AGENCY = [S, F, F, F, O, O];

/** The knowledge base (政策解答): public pages, suggestions while typing, the officers' workspace. */
export const knowledgeMatrix: ModuleMatrix = {
  lines: {
    'GET /{lang}/help': { url: '/en/help', expect: EVERYONE },
    'GET /{lang}/help/categories/:key': { url: '/en/help/categories/residence-permit', expect: EVERYONE },
    'GET /{lang}/help/articles/:slug': { url: '/en/help/articles/matrix-public-answer', expect: EVERYONE },
    'GET /{lang}/help/search': { url: '/en/help/search?q=residence%20permit', expect: EVERYONE },
    'GET /{lang}/help/suggest': { url: '/en/help/suggest?q=residence', expect: EVERYONE },
    'GET /{lang}/workspace/help': { url: '/en/workspace/help', expect: WORKSPACE },
    'GET /{lang}/workspace/help/articles/new': { url: '/en/workspace/help/articles/new', expect: WORKSPACE },
    'POST /{lang}/workspace/help/articles/new': { url: '/en/workspace/help/articles/new', expect: WORKSPACE },
    'GET /{lang}/workspace/help/articles/:id': { url: '/en/workspace/help/articles/{knowledge-internal}', expect: WORKSPACE },
    'POST /{lang}/workspace/help/articles/:id': { url: '/en/workspace/help/articles/{knowledge-internal}', expect: MANAGERS_OF_OTHER_AGENCY },
  },
  async setup(db) {
    return db.transaction().execute(async (trx) => {
      const article = {
        categoryKey: 'residence-permit',
        title: { en: 'Applying for a residence permit' },
        body: { en: 'Apply at the public security bureau where you live.' },
        responsibleAgency: 'zj-hkmao',
        reviewOn: '2027-06-30',
        sources: [],
        commitmentIds: [],
        relatedIds: [],
      };
      const provenance = { origin: 'platform' as const, seedSha256: null, updatedBy: null };
      await insertArticle(trx, { ...article, slug: 'matrix-public-answer', status: 'public' }, provenance);
      const internal = await insertArticle(trx, { ...article, slug: 'matrix-internal-answer', status: 'internal' }, provenance);
      return { 'knowledge-internal': String(internal) };
    });
  },
};
