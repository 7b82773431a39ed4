import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { agenciesOf, type Principal } from '../../platform/auth/roles.ts';
import type { Database, Side } from '../../platform/db/schema.ts';
import { Choice, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, parseNumber } from '../../platform/http/forms.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import { findOrganisations } from '../organisations/index.ts';
import type { Action } from './queries/actions.ts';
import { findIndicators, type Indicator, type Period } from './queries/indicators.ts';
import { attachFiles, detachFiles, insertUpdate, moveUpdate, setUpdateContent, type UpdateDetail, type UpdateValue } from './queries/updates.ts';
import { findProjectAgreements } from './queries/project-agreements.ts';

export const UPDATE_FORM = Fields({
  ...localizedFields('narrative', 10_000),
  intent: Choice(['save', 'submit']),
});

export type UpdateFields = FieldsOf<typeof UPDATE_FORM> | 'attachments' | `period-${number}`;

/** The indicator periods an update on this action may report: its commitment's, begun by today. */
export async function reportablePeriods(db: Kysely<Database>, action: Action, today: string): Promise<{ indicator: Indicator; period: Period }[]> {
  const indicators = await findIndicators(db, { commitmentIds: [action.commitmentId] });
  return indicators
    .filter((i) => i.actionId === null || i.actionId === action.id || i.actionId === action.parentId)
    .flatMap((indicator) => indicator.periods.filter((p) => p.startsOn <= today).map((period) => ({ indicator, period })));
}

/** The agency a person reports for on an action: the first of theirs that leads it. */
async function reportingAgency(db: Kysely<Database>, principal: Principal, action: Action): Promise<{ id: string; side: Side } | undefined> {
  const mine = agenciesOf(principal).filter((a) => a === action.leadHongKong || a === action.leadZhejiang);
  const organisations = await findOrganisations(db);
  const agency = organisations.find((o) => mine.includes(o.id) && (o.side === 'hong-kong' || o.side === 'zhejiang'));
  return agency ? { id: agency.id, side: agency.side as Side } : undefined;
}

/**
 * Writes a progress update (new, or a draft or returned one) and, with intent "submit", sends it to
 * the coordinators of its side. Files are stored in the same transaction as the update that carries
 * them, so a failed save leaves nothing behind.
 */
export async function saveUpdate(options: {
  db: Kysely<Database>;
  principal: Principal;
  locale: Locale;
  action: Action;
  existing?: UpdateDetail;
  form: FormResult<FieldsOf<typeof UPDATE_FORM>>;
  body: Record<string, unknown>;
  projectAgreementIds: string[];
  removeAttachments: string[];
  /** Stores the uploaded files in the update's transaction and returns their ids. */
  storeFiles(trx: Transaction<Database>): Promise<string[]>;
  /** A problem with the uploaded files found before saving (type, size). */
  fileError?: FieldError | undefined;
  today: string;
  now: Date;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true; id: number; reference: string; submitted: boolean } | { ok: false; errors: Partial<Record<UpdateFields, FieldError>>; values: Record<string, string> }> {
  const { db, action, existing } = options;
  const v = options.form.values;
  const errors: Partial<Record<UpdateFields, FieldError>> = { ...options.form.errors };
  const narrative = localizedValue(v, 'narrative');
  if (Object.keys(narrative).length === 0) errors.narrativeHant = 'one_language_required';
  if (options.fileError) errors.attachments = options.fileError;

  const values: UpdateValue[] = [];
  const typed: Record<string, string> = {};
  for (const { indicator, period } of await reportablePeriods(db, action, options.today)) {
    // A counted indicator has its actuals counted on the platform: an update reports no figure for it.
    if (indicator.countedBy !== null) continue;
    const field = `period-${period.id}` as const;
    const raw = typeof options.body[field] === 'string' ? (options.body[field] as string).trim() : '';
    typed[field] = raw;
    if (!raw) continue;
    if (indicator.measure === 'qualitative') {
      if (raw.length > 2000) errors[field] = 'too_long';
      else values.push({ periodId: period.id, value: null, text: { [options.locale]: raw } });
      continue;
    }
    const n = parseNumber(raw);
    if (n === undefined) errors[field] = 'invalid_number';
    else if (indicator.measure === 'percentage' && (n < 0 || n > 100)) errors[field] = 'invalid_percentage';
    else values.push({ periodId: period.id, value: n, text: null });
  }

  const known = new Set((await findProjectAgreements(db)).map((p) => p.id));
  const projectAgreementIds = options.projectAgreementIds.map(Number);
  if (projectAgreementIds.some((id) => !known.has(id))) errors.intent = 'unknown_project_agreement';

  const agency = existing ? { id: existing.organisationId, side: existing.side } : await reportingAgency(db, options.principal, action);
  if (!agency) errors.intent = 'not_a_lead_agency';
  if (hasErrors(errors) || !agency) return { ok: false, errors, values: typed };

  const submit = v.intent === 'submit';
  const content = { narrative, values, projectAgreementIds };
  const saved = await db.transaction().execute(async (trx) => {
    const saved =
      existing ??
      (await insertUpdate(trx, {
        actionId: action.id,
        commitmentId: action.commitmentId,
        organisationId: agency.id,
        side: agency.side,
        authorId: options.principal.user.id,
        year: Number(options.today.slice(0, 4)),
        ...content,
      }));
    if (existing) {
      const stillEditable = await moveUpdate(trx, existing.id, ['draft', 'returned'], { state: existing.state, returnReason: existing.returnReason }, options.now);
      if (!stillEditable) return undefined;
      await setUpdateContent(trx, existing.id, content, options.now);
      await detachFiles(
        trx,
        existing.id,
        options.removeAttachments.filter((id) => existing.attachments.some((a) => a.id === id)),
      );
    }
    const fileIds = await options.storeFiles(trx);
    await attachFiles(trx, saved.id, fileIds);
    await audit(trx, {
      actor: options.actor,
      action: existing ? 'update.updated' : 'update.created',
      entity: { type: 'progress-update', id: saved.reference },
      changes: diff(existing ? { narrative: existing.narrative, values: existing.values, projectAgreementIds: existing.projectAgreementIds } : null, {
        ...content,
        ...(fileIds.length ? { attachmentsAdded: fileIds } : {}),
        ...(options.removeAttachments.length ? { attachmentsRemoved: options.removeAttachments } : {}),
      }),
      request: options.request,
    });
    if (submit) {
      await moveUpdate(trx, saved.id, ['draft', 'returned'], { state: 'submitted', submittedAt: options.now }, options.now);
      await audit(trx, {
        actor: options.actor,
        action: 'update.submitted',
        entity: { type: 'progress-update', id: saved.reference },
        changes: { state: { before: existing?.state ?? 'draft', after: 'submitted' } },
        request: options.request,
      });
    }
    return saved;
  });
  if (!saved) return { ok: false, errors: { intent: 'update_no_longer_editable' }, values: typed };
  return { ok: true, id: saved.id, reference: saved.reference, submitted: submit };
}
