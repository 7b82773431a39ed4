import { sql } from 'kysely';
import { audit, SYSTEM } from '../audit/audit.ts';
import { describeError } from '../jobs/queue.ts';
import { type JobContext, type JobHandler, type JobHandlers, PermanentJobError } from '../jobs/worker.ts';
import { DELIVER_MAIL, type DeliverMailPayload, decodeAttachments } from './outbox.ts';
import type { Acceptance, MailTransport } from './transport.ts';

function outboxId(payload: unknown): string {
  const id = (payload as Partial<DeliverMailPayload> | null)?.outboxId;
  if (typeof id !== 'string' || !/^\d+$/.test(id)) throw new PermanentJobError(`a ${DELIVER_MAIL} job needs { outboxId } (got ${JSON.stringify(payload)})`);
  return id;
}

/**
 * The Message-ID of an outbox message: made from its row (id and the random token stored at insert)
 * and the sender's domain, so every attempt sends the same id and a receiving server that got the
 * message once drops a repeat.
 */
function outboxMessageId(row: { id: string | number | bigint; message_token: string }, domain: string): string {
  return `<outbox-${String(row.id)}.${row.message_token}@${domain}>`;
}

/**
 * The job that sends one outbox message. The SMTP server's acceptance is recorded first, in a
 * statement of its own, before any other bookkeeping: whatever fails after it (the audit record, the
 * job's own row, the process), the message is not handed over again. Should the process die between
 * the server's acceptance and that record, the retry sends the message under the same Message-ID.
 * A failed send is counted and its error kept on the outbox row, then thrown so the job is retried;
 * when the job has no attempts left the message is marked failed (retrying the job, retryJob,
 * tries the message again).
 */
function deliverMail(transport: MailTransport): JobHandler {
  return async (payload: unknown, ctx: JobContext) => {
    const id = outboxId(payload);
    const entry = await ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!entry) throw new PermanentJobError(`outbox message ${id} does not exist`);
    if (entry.state === 'sent') return;
    if (entry.purged_at !== null) throw new PermanentJobError(`outbox message ${id} was cleared (the record it was about was purged) before it was sent`);
    if (entry.accepted_at === null) {
      let acceptance: Acceptance;
      try {
        acceptance = await transport.send({
          to: entry.to_address,
          subject: entry.subject,
          text: entry.text_body,
          html: entry.html_body,
          locale: entry.locale,
          attachments: decodeAttachments(entry.attachments),
          messageId: outboxMessageId(entry, transport.domain),
        });
      } catch (error) {
        const final = ctx.job.attempts >= ctx.job.maxAttempts;
        await ctx.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('mail_outbox')
            .set({ attempts: sql<number>`attempts + 1`, last_error: describeError(error), state: final ? 'failed' : 'queued' })
            .where('id', '=', id)
            .execute();
          if (final) await audit(trx, { actor: SYSTEM, action: 'mail.failed', entity: { type: 'mail', id }, changes: { state: { before: 'queued', after: 'failed' } } });
        });
        throw error;
      }
      // The acceptance, first and alone.
      await ctx.db
        .updateTable('mail_outbox')
        .set({ accepted_at: sql<Date>`now()`, smtp_response: acceptance.response.slice(0, 1_000), message_id: acceptance.messageId, attempts: sql<number>`attempts + 1` })
        .where('id', '=', id)
        .execute();
      ctx.log.info({ outboxId: id, messageId: acceptance.messageId }, 'mail accepted by the SMTP server');
    }
    await ctx.db.transaction().execute(async (trx) => {
      const marked = await trx.updateTable('mail_outbox').set({ state: 'sent', sent_at: sql<Date>`accepted_at` }).where('id', '=', id).where('state', '<>', 'sent').executeTakeFirst();
      if (marked.numUpdatedRows > 0n) await audit(trx, { actor: SYSTEM, action: 'mail.sent', entity: { type: 'mail', id }, changes: { state: { before: 'queued', after: 'sent' } } });
    });
  };
}

/** The mail handlers a worker needs: spread into startWorker's handlers. */
export function mailHandlers(transport: MailTransport): JobHandlers {
  return { [DELIVER_MAIL]: deliverMail(transport) };
}
