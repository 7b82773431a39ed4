import { parseArgs } from 'node:util';
import type { Command, ModuleManifest } from '../../platform/module.ts';
import { UsageError } from '../../platform/module.ts';
import { agreementAdminRoutes } from './admin.tsx';
import { agreementApi } from './api.ts';
import { agreementPolicy } from './policy.ts';
import { todayIn } from '../../platform/clock.ts';
import { computeLifecycle } from './lifecycle.ts';
import { loadAgreements } from './load-agreements.ts';
import { findAgreement, findRenewalHistory } from './queries.ts';
import { RENEWAL_STATUSES, recordRenewal } from './record-renewal.ts';
import { agreementsRetention } from './retention.ts';
import { agreementRoutes } from './routes.tsx';
import { AgreementStore } from './store.ts';
import { agreementsMessages } from './messages.ts';

const statusCommand: Command = {
  name: 'agreement-status',
  usage: 'agreement-status <agreement-id> [negotiating | renewed --renewed-by <agreement-id> | lapsed | none] [--note <text>] [--by <name>]',
  summary: 'Show an agreement’s lifecycle, or record what the custodians say about its renewal',
  async run(ctx, args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'renewed-by': { type: 'string' }, note: { type: 'string' }, by: { type: 'string' } },
    });
    const [id, status] = positionals;
    if (!id || positionals.length > 2) throw new UsageError(`usage: zjhk ${this.usage}`);
    if (status !== undefined) {
      if (status !== 'none' && !(RENEWAL_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`the status must be one of ${[...RENEWAL_STATUSES, 'none'].join(', ')} (got "${status}")`);
      }
      await recordRenewal({
        db: ctx.db.kysely,
        agreementId: id,
        status: status as (typeof RENEWAL_STATUSES)[number] | 'none',
        renewedById: values['renewed-by'],
        note: values.note,
        actor: ctx.actor,
        now: ctx.now(),
        recordedBy: values.by ? `${values.by} (${ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.label})` : ctx.actor.type === 'user' ? ctx.actor.id : ctx.actor.label,
      });
      ctx.print(`Recorded: ${id} ${status === 'none' ? 'renewal record cleared' : status}${values['renewed-by'] ? ` by ${values['renewed-by']}` : ''}`);
    }
    const agreement = await findAgreement(ctx.db.kysely, id);
    if (!agreement) throw new UsageError(`no agreement ${id}`);
    const lifecycle = computeLifecycle(agreement, todayIn(ctx.config.timeZone, ctx.now()));
    ctx.print(`${id}: term ${agreement.effectiveFrom} to ${agreement.expiresOn}; ${lifecycle.phase} (${lifecycle.days} days) as of ${lifecycle.asOf}`);
    ctx.print(`  renewal: ${agreement.renewal ? `${agreement.renewal.status}${agreement.renewal.renewedById ? ` by ${agreement.renewal.renewedById}` : ''}` : 'nothing recorded'}`);
    for (const event of await findRenewalHistory(ctx.db.kysely, id)) {
      ctx.print(
        `  ${event.recorded_at.toISOString()} ${event.renewal_status ?? 'cleared'}${event.renewed_by_id ? ` by ${event.renewed_by_id}` : ''} — ${event.recorded_by}${event.note ? `: ${event.note}` : ''}`,
      );
    }
  },
};

export const agreementsModule: ModuleManifest = {
  name: 'agreements',
  openData: [{ label: 'agreement.openData', path: '/api/v1/agreements', order: 10 }],
  messages: agreementsMessages,
  matrix: async () => (await import('./matrix.ts')).agreementsMatrix,
  openApiTags: [{ name: 'Agreements', description: 'The agreement, its areas of cooperation and its numbered commitments' }],
  policy: agreementPolicy,
  nav: [{ label: 'nav.agreement', path: '/agreements/zjhk-2023', order: 20 }],
  adminLinks: [{ label: 'admin.agreement.title', path: '/admin/agreements/zjhk-2023', action: 'agreement.renewal.record', order: 70 }],
  retention: agreementsRetention,
  routes(app, ctx) {
    const store = new AgreementStore(ctx.db);
    ctx.onInvalidate(() => store.invalidate());
    agreementRoutes(app, ctx, store);
    agreementApi(app, ctx, store);
    agreementAdminRoutes(app, ctx, store);
  },
  async seed(ctx) {
    ctx.print('Loading agreements from data/agreements/ …');
    await loadAgreements({ db: ctx.db.kysely, progress: ctx.print, actor: ctx.actor, now: ctx.now() });
  },
  commands: [statusCommand],
};
