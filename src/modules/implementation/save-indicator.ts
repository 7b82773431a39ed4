import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { Choice, Day, type FieldError, Fields, type FieldsOf, type FormResult, hasErrors, localizedFields, localizedValue, Optional, parseNumber, Text } from '../../platform/http/forms.ts';
import type { Locale } from '../../platform/i18n/locales.ts';
import type { IndicatorCountSource } from '../../platform/indicator-counts.ts';
import { countChoices } from './indicator-counts.ts';
import { type Indicator, type IndicatorValues, insertIndicator, parseCountedBy, savePeriod, updateIndicator } from './queries/indicators.ts';
import { DIRECTIONS, MEASURES, SCOPES } from './schemas.ts';

export const INDICATOR_FORM = Fields({
  ...localizedFields('name', 300),
  ...localizedFields('description', 2000),
  ...localizedFields('unit', 60),
  ...localizedFields('source', 500),
  measure: Choice(MEASURES),
  direction: Choice(DIRECTIONS),
  scope: Choice(SCOPES),
  baseline: Optional(Text(500)),
  baselineOn: Optional(Day()),
  /**
   * Empty: actuals come from progress updates; otherwise what the indicator counts on the platform,
   * 'events:promotion' (one of the app's count choices, checked by saveIndicator). The field keeps its
   * first name, from when only events were counted.
   */
  countsEvents: Optional(Text(200)),
});

export type IndicatorFields = FieldsOf<typeof INDICATOR_FORM>;

/**
 * Defines an indicator of a commitment, or changes one: name, unit, measure, direction, scope,
 * baseline, and whether its actuals are counted from records held on the platform (a number), by one
 * of the count sources the app's modules offer.
 */
export async function saveIndicator(options: {
  db: Kysely<Database>;
  /** The count sources of the app's modules: what an indicator may count. */
  sources: readonly IndicatorCountSource[];
  commitmentId: number;
  existing?: Indicator;
  form: FormResult<IndicatorFields>;
  locale: Locale;
  actor: Actor;
  request: RequestInfo;
  now: Date;
}): Promise<{ ok: true; id: number } | { ok: false; errors: Partial<Record<IndicatorFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<IndicatorFields, FieldError>> = { ...options.form.errors };
  const name = localizedValue(v, 'name');
  if (Object.keys(name).length === 0) errors.nameHant = 'one_language_required';
  const qualitative = v.measure === 'qualitative';
  const baselineValue = v.baseline && !qualitative ? parseNumber(v.baseline) : undefined;
  if (v.baseline && !qualitative && baselineValue === undefined) errors.baseline = 'invalid_number';
  if (v.baseline && !v.baselineOn) errors.baselineOn = 'required';
  if (v.countsEvents && !errors.countsEvents && !countChoices(options.sources).includes(v.countsEvents)) errors.countsEvents = 'invalid_choice';
  const countedBy = errors.countsEvents ? null : parseCountedBy(v.countsEvents);
  if (countedBy && !errors.measure && v.measure !== 'number') errors.countsEvents = 'counts_events_need_number';
  if (options.existing && options.existing.measure !== v.measure && options.existing.periods.some((p) => p.actuals.length > 0)) errors.measure = 'measure_in_use';
  if (hasErrors(errors)) return { ok: false, errors };

  const values: IndicatorValues = {
    commitmentId: options.commitmentId,
    actionId: options.existing?.actionId ?? null,
    name,
    description: localizedValue(v, 'description'),
    unit: localizedValue(v, 'unit'),
    measure: v.measure as Indicator['measure'],
    direction: v.direction as Indicator['direction'],
    scope: v.scope as Indicator['scope'],
    baselineValue: baselineValue ?? null,
    baselineText: v.baseline && qualitative ? { [options.locale]: v.baseline } : (options.existing?.baselineText ?? null),
    baselineOn: v.baselineOn || null,
    source: localizedValue(v, 'source'),
    countedBy,
  };
  const before = options.existing;
  const id = await options.db.transaction().execute(async (trx) => {
    const id = before ? before.id : await insertIndicator(trx, values);
    if (before) await updateIndicator(trx, id, values, options.now);
    const { periods: _p, illustrative: _i, id: _id, commitmentCode: _c, ...previous } = before ?? ({} as Indicator);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'indicator.updated' : 'indicator.created',
      entity: { type: 'indicator', id: String(id) },
      changes: diff(before ? { ...previous } : null, { ...values }),
      request: options.request,
    });
    return id;
  });
  return { ok: true, id };
}

export const PERIOD_FORM = Fields({
  startsOn: Day(),
  endsOn: Day(),
  target: Optional(Text(500)),
});

export type PeriodFields = FieldsOf<typeof PERIOD_FORM>;

/** Adds a reporting period with its target, or changes the target of the period starting that day. */
export async function savePeriodForm(options: {
  db: Kysely<Database>;
  indicator: Indicator;
  form: FormResult<PeriodFields>;
  locale: Locale;
  actor: Actor;
  request: RequestInfo;
}): Promise<{ ok: true } | { ok: false; errors: Partial<Record<PeriodFields, FieldError>> }> {
  const v = options.form.values;
  const errors: Partial<Record<PeriodFields, FieldError>> = { ...options.form.errors };
  if (!errors.startsOn && !errors.endsOn && v.endsOn < v.startsOn) errors.endsOn = 'ends_before_start';
  const qualitative = options.indicator.measure === 'qualitative';
  const target = v.target && !qualitative ? parseNumber(v.target) : undefined;
  if (v.target && !qualitative && target === undefined) errors.target = 'invalid_number';
  const overlapping = options.indicator.periods.find((p) => p.startsOn !== v.startsOn && p.startsOn <= v.endsOn && v.startsOn <= p.endsOn);
  if (!hasErrors(errors) && overlapping) errors.startsOn = 'period_overlaps';
  if (hasErrors(errors)) return { ok: false, errors };

  const values = { startsOn: v.startsOn, endsOn: v.endsOn, targetValue: target ?? null, targetText: v.target && qualitative ? { [options.locale]: v.target } : null };
  const before = options.indicator.periods.find((p) => p.startsOn === v.startsOn);
  await options.db.transaction().execute(async (trx) => {
    const periodId = await savePeriod(trx, options.indicator.id, values);
    await audit(trx, {
      actor: options.actor,
      action: before ? 'indicator.period.updated' : 'indicator.period.created',
      entity: { type: 'indicator-period', id: String(periodId) },
      changes: diff(before ? { startsOn: before.startsOn, endsOn: before.endsOn, targetValue: before.targetValue, targetText: before.targetText } : null, { ...values }),
      request: options.request,
    });
  });
  return { ok: true };
}
