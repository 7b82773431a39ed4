import type { PageContext } from '../../../platform/html/context.ts';
import { Layout } from '../../../platform/html/layout.tsx';
import type { Locale } from '../../../platform/i18n/locales.ts';
import { ACCESSIBILITY_STATEMENT } from '../accessibility.ts';

export function AccessibilityPage({ ctx }: { ctx: PageContext }) {
  const statement = ACCESSIBILITY_STATEMENT[ctx.locale as Locale];
  return (
    <Layout ctx={ctx} title={ctx.t('accessibility.title')} breadcrumbs={[{ label: ctx.t('accessibility.title') }]}>
      <h1>{ctx.t('accessibility.title')}</h1>
      <p>{statement.intro}</p>
      {statement.sections.map((section) => (
        <section>
          <h2>{section.heading}</h2>
          {section.paragraphs.map((p) => (
            <p>{p}</p>
          ))}
        </section>
      ))}
    </Layout>
  );
}
