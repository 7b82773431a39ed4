import { definePolicy, type PolicyResources } from '../../platform/auth/authorize.ts';
import { hasRole, type Principal } from '../../platform/auth/roles.ts';

/** What the rules need to know about an article: the agency that answers for it. */
export interface ArticleRef {
  responsibleAgency: string;
}

/** The agencies a person is an officer of. */
export function officerAgencies(p: Principal): string[] {
  return p.roles.filter((g) => g.role === 'agency-officer' && g.organisationId).map((g) => g.organisationId as string);
}

/** Coordinators and administrators look after every article. */
export const managesEveryArticle = (p: Principal): boolean => hasRole(p, 'custodian-coordinator') || hasRole(p, 'administrator');

export const knowledgePolicy = definePolicy({
  /** The officers' pages of the knowledge base: every article, internal ones included. */
  'knowledge.workspace': (p) => hasRole(p, 'agency-officer') || managesEveryArticle(p),
  /**
   * Write and change articles: coordinators and administrators any article; an agency officer the
   * articles their agency answers for (and, without an article, to create one for their agency).
   */
  'article.manage': (p, resource?: ArticleRef) => {
    if (managesEveryArticle(p)) return true;
    const agencies = officerAgencies(p);
    return resource === undefined ? agencies.length > 0 : agencies.includes(resource.responsibleAgency);
  },
});

declare module '../../platform/auth/authorize.ts' {
  interface Policies extends PolicyResources<typeof knowledgePolicy> {}
}
