import { sql } from 'kysely';
import { audit, SYSTEM } from '../audit/audit.ts';
import { describeError } from '../jobs/queue.ts';
import { type JobContext, type JobHandler, type JobHandlers, PermanentJobError } from '../jobs/worker.ts';
import { DELIVER_MAIL, type DeliverMailPayload, decodeAttachments } from './outbox.ts';
import type { MailTransport } from './transport.ts';

function outboxId(payload: unknown): string {
  const id = (payload as Partial<DeliverMailPayload> | null)?.outboxId;
  if (typeof id !== 'string' || !/^\d+$/.test(id)) throw new PermanentJobError(`a ${DELIVER_MAIL} job needs { outboxId } (got ${JSON.stringify(payload)})`);
  return id;
}

/**
 * The job that sends one outbox message. A message already sent is not sent again (so a job re-run
 * after a lost lease is harmless, unless the send itself was cut off before it was recorded). A
 * failed send is counted and its error kept on the outbox row, then thrown so the job is retried;
 * when the job has no attempts left the message is marked failed (retrying the job, retryJob,
 * tries the message again).
 */
export function deliverMail(transport: MailTransport): JobHandler {
  return async (payload: unknown, ctx: JobContext) => {
    const id = outboxId(payload);
    const entry = await ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!entry) throw new PermanentJobError(`outbox message ${id} does not exist`);
    if (entry.state === 'sent') return;
    let messageId: string;
    try {
      ({ messageId } = await transport.send({
        to: entry.to_address,
        subject: entry.subject,
        text: entry.text_body,
        html: entry.html_body,
        locale: entry.locale,
        attachments: decodeAttachments(entry.attachments),
      }));
    } catch (error) {
      const final = ctx.job.attempts >= ctx.job.maxAttempts;
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('mail_outbox')
          .set({ attempts: sql<number>`attempts + 1`, last_error: describeError(error), state: final ? 'failed' : 'queued' })
          .where('id', '=', id)
          .execute();
        if (final) await audit(trx, { actor: SYSTEM, action: 'mail.failed', entity: { type: 'mail', id }, changes: { state: { before: 'queued', after: 'failed' }, last_error: { before: null, after: describeError(error) } } });
      });
      throw error;
    }
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('mail_outbox')
        .set({ state: 'sent', sent_at: sql<Date>`now()`, message_id: messageId, attempts: sql<number>`attempts + 1` })
        .where('id', '=', id)
        .execute();
      await audit(trx, { actor: SYSTEM, action: 'mail.sent', entity: { type: 'mail', id }, changes: { state: { before: 'queued', after: 'sent' }, to: { before: null, after: entry.to_address } } });
    });
    ctx.log.info({ outboxId: id, messageId }, 'mail sent');
  };
}

/** The mail handlers a worker needs: spread into startWorker's handlers. */
export function mailHandlers(transport: MailTransport): JobHandlers {
  return { [DELIVER_MAIL]: deliverMail(transport) };
}
