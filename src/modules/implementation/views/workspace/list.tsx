import type { PageContext } from '../../../../platform/html/context.ts';
import { Layout } from '../../../../platform/html/layout.tsx';

export function ListPage({ ctx, title, newHref, newLabel, items }: { ctx: PageContext; title: string; newHref: string; newLabel: string; items: { href: string; label: string; meta: string }[] }) {
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: ctx.t('impl.workspace.title'), href: ctx.href('/workspace') }, { label: title }]}>
      <h1>{title}</h1>
      <p>
        <a href={newHref}>{newLabel}</a>
      </p>
      <ul>
        {items.map((i) => (
          <li>
            <a href={i.href}>{i.label}</a> <span class="meta">{i.meta}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
