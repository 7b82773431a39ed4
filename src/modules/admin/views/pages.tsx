import type { PageContext } from '../../../platform/html/context.ts';
import { TextField } from '../../../platform/html/forms.tsx';
import { Layout } from '../../../platform/html/layout.tsx';
import type { AuditFilter } from '../queries.ts';

export const adminCrumb = (ctx: PageContext) => ({ label: ctx.t('admin.title'), href: ctx.href('/admin') });

export function AdminHome({ ctx, links }: { ctx: PageContext; links: { href: string; label: string }[] }) {
  return (
    <Layout ctx={ctx} title={ctx.t('admin.title')} breadcrumbs={[{ label: ctx.t('admin.title') }]}>
      <h1>{ctx.t('admin.title')}</h1>
      <ul class="area-list">
        {links.map((l) => (
          <li>
            <a href={l.href}>{l.label}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actorLabel: string;
  onBehalfOf: string | null;
  action: string;
  entity: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  requestId: string | null;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The audit trail; `reversed`: the period asked for ends before it starts, which the page says instead of listing nothing. */
export function AuditPage({ ctx, filter, rows, olderHref, reversed = false }: { ctx: PageContext; filter: AuditFilter; rows: AuditRow[]; olderHref: string | undefined; reversed?: boolean }) {
  const { t } = ctx;
  const time = new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : ctx.locale === 'zh-Hans' ? 'zh-Hans-CN' : 'zh-Hant-HK', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Asia/Hong_Kong',
  });
  return (
    <Layout ctx={ctx} title={t('admin.audit.title')} breadcrumbs={[adminCrumb(ctx), { label: t('admin.audit.title') }]}>
      <h1>{t('admin.audit.title')}</h1>
      <p>{t('admin.audit.intro')}</p>
      <p>{t('admin.audit.scope')}</p>
      <form method="get" action={ctx.href('/admin/audit')} class="filters">
        <TextField ctx={ctx} name="actor" label={t('admin.audit.actor')} value={filter.actor ?? ''} />
        <TextField ctx={ctx} name="action" label={t('admin.audit.action')} value={filter.action ?? ''} />
        <TextField ctx={ctx} name="entity" label={t('admin.audit.entityFilter')} value={filter.entity ?? ''} />
        <TextField ctx={ctx} name="from" label={t('admin.audit.from')} value={filter.from ?? ''} />
        <TextField ctx={ctx} name="to" label={t('admin.audit.to')} value={filter.to ?? ''} error={reversed ? 'ends_before_start' : undefined} />
        <button type="submit">{t('admin.audit.filter')}</button>
      </form>
      {reversed ? null : rows.length === 0 ? (
        <p>{t('admin.audit.none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('admin.audit.when')}</th>
                <th scope="col">{t('admin.audit.who')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.entity')}</th>
                <th scope="col">{t('admin.audit.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.id}</td>
                  <td>{time.format(r.occurredAt)}</td>
                  <td>
                    {r.actorLabel}
                    {r.onBehalfOf ? ` (${r.onBehalfOf})` : ''}
                  </td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    <code>{r.entity}</code>
                  </td>
                  <td>
                    <ul class="plain changes">
                      {Object.entries(r.changes).map(([field, c]) => (
                        <li>
                          <code>{field}</code>: {show(c.before)} → {show(c.after)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderHref && (
        <p>
          <a href={olderHref}>{t('admin.audit.older')} →</a>
        </p>
      )}
    </Layout>
  );
}

export interface MailRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  state: string;
  attempts: number;
  lastError: string | null;
  /** The attachments' file names. */
  attachments: string[];
  createdAt: Date;
  /** When its personal data was cleared (mail_outbox.purged_at), if it was. */
  clearedAt: Date | null;
}

export function MailboxPage({ ctx, rows, dev }: { ctx: PageContext; rows: MailRow[]; dev: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.mailbox.title')} breadcrumbs={[adminCrumb(ctx), { label: t('admin.mailbox.title') }]}>
      <h1>{t('admin.mailbox.title')}</h1>
      {dev && <p class="notice">{t('admin.mailbox.dev')}</p>}
      {rows.length === 0 && <p>{t('admin.mailbox.none')}</p>}
      {rows.map((m) => (
        <article class="mail" id={`mail-${m.id}`}>
          <h2>{m.subject}</h2>
          {m.clearedAt && <p class="notice">{t('admin.mailbox.cleared', { date: ctx.date(m.clearedAt.toISOString().slice(0, 10)) })}</p>}
          <dl class="facts">
            <dt>{t('admin.mailbox.to')}</dt>
            <dd>{m.to}</dd>
            <dt>{t('admin.mailbox.state')}</dt>
            <dd>
              {m.state} ({m.attempts}){m.lastError ? ` — ${m.lastError}` : ''}
            </dd>
            {m.attachments.length > 0 && (
              <>
                <dt>{t('admin.mailbox.attachments')}</dt>
                <dd class="mail-attachments">{m.attachments.join(', ')}</dd>
              </>
            )}
          </dl>
          {dev && <pre class="mail-body">{m.text}</pre>}
        </article>
      ))}
    </Layout>
  );
}
