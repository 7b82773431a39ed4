import type { FastifyRequest } from 'fastify';
import type { PageContext } from './context.ts';
import { Form } from './forms.tsx';
import { Layout, renderPage } from './layout.tsx';

/**
 * Destructive actions ask first, and work without JavaScript. Their button posts the action's form
 * as before; a post that does not carry `confirm=yes` changes nothing and is answered with a page
 * that says what will happen and carries the same form again (every field as it was sent), with
 * `confirm=yes` and a way back. Only that second post does it.
 */
const CONFIRM_FIELD = 'confirm';

/** What the page that asks says: the question, what will happen, the button that does it, and where "No" goes. */
export interface Confirmation {
  /** "Cancel your registration?" */
  question: string;
  /** What will happen, in plain words (who is told, what cannot be undone). */
  consequence: string;
  /** The button that does it: "Yes, cancel my registration". */
  confirm: string;
  /** The page the person came from (a path under the language prefix, e.g. /admin/users/…). */
  back: string;
  /** The record it is about, as a person knows it (a name, a reference, a date), shown under the question. */
  subject?: string;
}

/** Whether a posted form says yes on the page that asked. */
function isConfirmed(body: unknown): boolean {
  return Boolean(body && typeof body === 'object' && (body as Record<string, unknown>)[CONFIRM_FIELD] === 'yes');
}

/** The fields of a posted form to send again (not its CSRF token, nor an earlier answer). */
function formFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object') return [];
  const fields: [string, string][] = [];
  for (const [name, given] of Object.entries(body as Record<string, unknown>)) {
    if (name === '_csrf' || name === CONFIRM_FIELD) continue;
    for (const value of Array.isArray(given) ? given : [given]) if (typeof value === 'string') fields.push([name, value]);
  }
  return fields;
}

function ConfirmPage({ ctx, action, fields, confirmation }: { ctx: PageContext; action: string; fields: [string, string][]; confirmation: Confirmation }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={confirmation.question}>
      <div class="confirm">
        <h1>{confirmation.question}</h1>
        {confirmation.subject && <p class="lead">{confirmation.subject}</p>}
        <p class="warning-text">{confirmation.consequence}</p>
        <Form ctx={ctx} action={action}>
          {fields.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name={CONFIRM_FIELD} value="yes" />
          <div class="buttons">
            <button type="submit" class="danger">
              {confirmation.confirm}
            </button>
            <a class="button secondary" href={ctx.href(confirmation.back)}>
              {t('confirm.back')}
            </a>
          </div>
        </Form>
      </div>
    </Layout>
  );
}

/**
 * The page that asks first, if this post has not said yes yet; undefined once it has. A route calls
 * it after loading and authorising, right before the use case:
 * `const ask = askFirst(request, page, {...}); if (ask) return ask;`
 */
export function askFirst(request: FastifyRequest, ctx: PageContext, confirmation: Confirmation): string | undefined {
  if (isConfirmed(request.body)) return undefined;
  return renderPage(<ConfirmPage ctx={ctx} action={request.url} fields={formFields(request.body)} confirmation={confirmation} />);
}
