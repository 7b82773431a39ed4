import { Type as T } from '@sinclair/typebox';
import { renderPage } from '../../platform/html/layout.tsx';
import { DateOrEmptySchema, isReversed } from '../../platform/http/dates.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { type App, type AppContext, visibleLinks } from '../../platform/module.ts';
import { findAuditEvents, findOutbox } from './queries.ts';
import { AdminHome, AuditPage, MailboxPage } from './views/pages.tsx';

/** A real date in the platform's range, or empty (an unchanged filter form). */
const DateParam = DateOrEmptySchema;
const AuditQuery = T.Object({
  actor: T.Optional(T.String({ maxLength: 200 })),
  action: T.Optional(T.String({ maxLength: 100 })),
  entity: T.Optional(T.String({ maxLength: 200 })),
  from: T.Optional(DateParam),
  to: T.Optional(DateParam),
  before: T.Optional(T.String({ pattern: '^\\d{1,18}$' })),
});

export function adminRoutes(app: App, ctx: AppContext): void {
  pageRoute(app, ctx.assets, '/admin', { access: { action: 'admin.access' } }, async (_request, _reply, page) => {
    return renderPage(<AdminHome ctx={page} links={visibleLinks(ctx, 'adminLinks', page)} />);
  });

  pageRoute(app, ctx.assets, '/admin/audit', { access: { action: 'audit.browse' }, querystring: AuditQuery }, async (request, _reply, page) => {
    const { before, ...filter } = request.query;
    const principal = request.principal;
    // A period that ends before it starts is named beside its end, not searched.
    const reversed = isReversed(filter.from, filter.to);
    const { rows, more } = reversed ? { rows: [], more: false } : await findAuditEvents(ctx.db.kysely, { principal, subjects: ctx.auditSubjects }, filter, before);
    const last = rows.at(-1);
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
    if (last) query.set('before', String(last.id));
    return renderPage(
      <AuditPage
        ctx={page}
        filter={filter}
        rows={rows.map((r) => ({
          id: String(r.id),
          occurredAt: r.occurred_at,
          actorLabel: r.actor_type === 'user' ? page.t('admin.audit.account', { id: r.actor_id ?? '' }) : (r.actor_label ?? r.actor_type),
          onBehalfOf: r.on_behalf_of,
          action: r.action,
          entity: `${r.entity_type}:${r.entity_id}`,
          changes: r.changes,
          requestId: r.request_id,
        }))}
        olderHref={more ? `${page.href('/admin/audit')}?${query.toString()}` : undefined}
        reversed={reversed}
      />,
    );
  });

  pageRoute(app, ctx.assets, '/admin/mailbox', { access: { action: 'mail.outbox.view' } }, async (_request, _reply, page) => {
    const rows = await findOutbox(ctx.db.kysely);
    return renderPage(
      <MailboxPage
        ctx={page}
        dev={ctx.config.devMailbox}
        rows={rows.map((m) => ({
          id: String(m.id),
          to: m.to_address,
          subject: m.subject,
          text: m.text_body,
          state: m.state,
          attempts: m.attempts,
          lastError: m.last_error,
          attachments: m.attachment_names,
          createdAt: m.created_at,
          clearedAt: m.purged_at,
        }))}
      />,
    );
  });
}
