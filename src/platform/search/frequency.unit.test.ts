import { describe, expect, it } from 'vitest';
import { MIN_DOCUMENTS, withoutCommonTerms } from './frequency.ts';
import { planQuery } from './tokenize.ts';

const countsFor = (plan: ReturnType<typeof planQuery>, common: string[], n: number) => plan.terms.map((t) => (common.includes(t.lexeme) ? n : 3));

describe('leaving common terms out of a query', () => {
  const total = 5_000;

  it('does not look a common term up, and counts the units it covers as covered', () => {
    const asked = planQuery('香港居民银行');
    const { plan, free } = withoutCommonTerms(asked, countsFor(asked, ['香港'], 4_000), total);
    expect(plan.terms.map((t) => t.lexeme)).toEqual(asked.terms.map((t) => t.lexeme).filter((l) => l !== '香港'));
    // 香 and 港 are both covered by 香港.
    expect(free).toBe(2);
    expect(plan.units).toHaveLength(asked.units.length - 2);
    for (const covering of plan.units) for (const t of covering) expect(plan.terms[t]).toBeDefined();
  });

  it('keeps a query whose every term is common, and every term of a small index', () => {
    const common = planQuery('香港');
    expect(withoutCommonTerms(common, countsFor(common, ['香港'], 4_000), total)).toEqual({ plan: common, free: 0 });
    const question = planQuery('香港居民银行');
    expect(withoutCommonTerms(question, countsFor(question, ['香港'], MIN_DOCUMENTS - 10), MIN_DOCUMENTS - 1)).toEqual({ plan: question, free: 0 });
  });

  it('drops another spelling that needs a common term, and keeps the others', () => {
    const asked = planQuery('社保 怎么交');
    const spelled = asked.alternatives.length;
    expect(spelled).toBeGreaterThan(0);
    const { plan } = withoutCommonTerms(asked, countsFor(asked, ['社会'], 4_000), total);
    expect(plan.alternatives.length).toBeLessThan(spelled);
    expect(plan.alternatives.every((a) => a.terms.every((t) => plan.terms[t]?.lexeme !== '社会'))).toBe(true);
    expect(plan.terms.some((t) => t.lexeme === '社保')).toBe(true);
  });
});
