import { EVENT_TYPES, type RegistrationState } from '../../tables.ts';
import type { PageContext } from '../../../../platform/html/context.ts';
import { ErrorSummary, errorText, fieldMessage, Form, LocalizedFields, Notice, SelectField, TextArea, TextField } from '../../../../platform/html/forms.tsx';
import { Layout } from '../../../../platform/html/layout.tsx';
import type { FieldError } from '../../../../platform/http/forms.ts';
import { LOCALE_INFO } from '../../../../platform/i18n/locales.ts';
import type { MessageKey } from '../../../../platform/i18n/messages.ts';
import { eventCities } from '../../cities.ts';
import type { EventRecord } from '../../queries/events.ts';
import type { Occurrence } from '../../queries/occurrences.ts';
import { readRule, type SimpleRule } from '../../recurrence.ts';
import { EVENT_STATUSES, FEEDBACK_CHOICES, FREQUENCIES, QUESTION_KINDS, type QuestionInput, REGISTRATION_MODES, TIME_ZONES } from '../../save-event.ts';
import { eventPath, type Organisations, typeName, When, workspaceEventPath, workspaceOccurrencePath } from '../parts.tsx';
import { type AreaInfo, areaName, type CommitmentInfo, commitmentOptionLabel } from '../../../agreements/index.ts';
import { CountsText, crumbs, EventStatusBadge, OccurrenceStatus, WORKSPACE } from './parts.tsx';

type Errors = Partial<Record<string, FieldError>>;
type Values = Record<string, string>;
type Counts = Record<RegistrationState, number>;

/** "Every 3 months, 4 times": a simple rule in words. */
function ruleText(ctx: PageContext, rule: SimpleRule): string {
  const every = ctx.t(`events.authoring.rule.every.${rule.frequency}`, { n: rule.interval });
  if (rule.count) return ctx.t('events.authoring.rule.times', { every, count: rule.count });
  if (rule.until) return ctx.t('events.authoring.rule.until', { every, until: ctx.date(rule.until) });
  return every;
}

/** A single tick box (a field of its own). */
function Checkbox({ name, label, checked, hint, id }: { name: string; label: string; checked: boolean; hint?: string; id?: string }) {
  const fieldId = id ?? `field-${name}`;
  return (
    <div class="field">
      <div class="checkbox">
        <input type="checkbox" id={fieldId} name={name} value="on" checked={checked} aria-describedby={hint ? `${fieldId}-hint` : undefined} />
        <label for={fieldId}>{label}</label>
      </div>
      {hint && (
        <p class="hint" id={`${fieldId}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** Tick boxes grouped under headings (one name for all of them). */
function GroupedCheckboxes({
  ctx,
  name,
  legend,
  hint,
  groups,
  checked,
  error,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string;
  groups: { label: string; options: { value: string; label: string }[] }[];
  checked: readonly string[];
  error?: FieldError | undefined;
}) {
  return (
    <fieldset class={error ? 'checkboxes field-error' : 'checkboxes'} id={`field-${name}`}>
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {error && <p class="error-message">{fieldMessage(ctx, `field-${name}`, error, 'checkboxes')}</p>}
      {groups
        .filter((g) => g.options.length > 0)
        .map((g) => (
          <fieldset class="checkbox-group">
            <legend>{g.label}</legend>
            {g.options.map((o) => (
              <div class="checkbox">
                <input type="checkbox" id={`field-${name}-${o.value}`} name={name} value={o.value} checked={checked.includes(o.value)} />
                <label for={`field-${name}-${o.value}`}>{o.label}</label>
              </div>
            ))}
          </fieldset>
        ))}
    </fieldset>
  );
}

/** One custom question: its label in the three languages, its kind, its options (one a line) and whether it must be answered. */
function QuestionRow({ ctx, row, number, errors }: { ctx: PageContext; row: QuestionInput; number: number; errors: Errors }) {
  const { t } = ctx;
  /** A field's name; its element's id is `field-<name>`, where the error summary links to. */
  const id = (f: string) => `question-${row.key}-${f}`;
  const v = row.values;
  const langs = [
    ['Hant', 'zh-Hant'],
    ['Hans', 'zh-Hans'],
    ['En', 'en'],
  ] as const;
  return (
    <fieldset class="question">
      <legend>{t('events.authoring.question.number', { n: number })}</legend>
      <input type="hidden" name="questionKey" value={row.key} />
      <fieldset class={errors[id('labelHant')] ? 'localized field-error' : 'localized'}>
        <legend>{t('events.authoring.question.label')}</legend>
        {langs.map(([suffix, locale]) => (
          <TextField
            ctx={ctx}
            name={id(`label${suffix}`)}
            label={LOCALE_INFO[locale].autonym}
            lang={LOCALE_INFO[locale].htmlLang}
            value={v[`label${suffix}`]}
            error={suffix === 'Hant' ? errors[id('labelHant')] : undefined}
          />
        ))}
      </fieldset>
      <SelectField
        ctx={ctx}
        name={id('kind')}
        label={t('events.authoring.question.kind')}
        value={v.kind || 'text'}
        error={errors[id('kind')]}
        options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`events.authoring.question.kind.${k}`) }))}
      />
      <fieldset class={errors[id('optionsHant')] ? 'localized field-error' : 'localized'}>
        <legend>{t('events.authoring.question.options')}</legend>
        <p class="hint">{t('events.authoring.question.optionsHint')}</p>
        {langs.map(([suffix, locale]) => (
          <TextArea
            ctx={ctx}
            name={id(`options${suffix}`)}
            label={LOCALE_INFO[locale].autonym}
            lang={LOCALE_INFO[locale].htmlLang}
            value={v[`options${suffix}`]}
            rows={3}
            error={suffix === 'Hant' ? errors[id('optionsHant')] : undefined}
          />
        ))}
      </fieldset>
      <Checkbox name={id('required')} label={t('events.authoring.question.required')} checked={v.required === 'on'} />
    </fieldset>
  );
}

export interface EventFormLookups {
  organisations: Organisations;
  commitments: CommitmentInfo[];
  areas: AreaInfo[];
}

/** What the form page lists of each date of an existing event. */
export interface OccurrenceRow {
  occurrence: Occurrence;
  counts: Counts | undefined;
}

/** The form an organiser makes or changes an event with; for an existing event, its dates below. */
export function EventFormPage({
  ctx,
  event,
  values,
  errors,
  organisers,
  commitments,
  questions,
  lookups,
  occurrences,
  notice,
}: {
  ctx: PageContext;
  event: EventRecord | undefined;
  values: Values;
  errors: Errors;
  organisers: readonly string[];
  commitments: readonly string[];
  /** The question rows, the last one blank for a new question. */
  questions: QuestionInput[];
  lookups: EventFormLookups;
  occurrences: OccurrenceRow[];
  notice?: MessageKey | undefined;
}) {
  const { t } = ctx;
  const title = event ? ctx.text(event.title) : t('events.authoring.new');
  const customRule = event?.rrule && !readRule(event.rrule) ? event.rrule : undefined;
  const simpleRule = event?.rrule ? readRule(event.rrule) : undefined;
  const zones: string[] = event && !(TIME_ZONES as readonly string[]).includes(event.timeZone) ? [...TIME_ZONES, event.timeZone] : [...TIME_ZONES];
  const labels: Record<string, string> = {
    type: t('events.authoring.field.type'),
    status: t('events.authoring.field.status'),
    cancelReason: t('events.authoring.field.cancelReason'),
    titleHant: t('events.authoring.field.title'),
    organisers: t('events.authoring.field.organisers'),
    commitments: t('events.authoring.field.commitments'),
    contactEmail: t('events.authoring.field.contactEmail'),
    city: t('events.authoring.field.city'),
    onlineUrl: t('events.authoring.field.onlineUrl'),
    timeZone: t('events.authoring.field.timeZone'),
    startDate: t('events.authoring.field.startDate'),
    startTime: t('events.authoring.field.startTime'),
    endDate: t('events.authoring.field.endDate'),
    endTime: t('events.authoring.field.endTime'),
    frequency: t('events.authoring.field.frequency'),
    interval: t('events.authoring.field.interval'),
    count: t('events.authoring.field.count'),
    until: t('events.authoring.field.until'),
    registration: t('events.authoring.field.registration'),
    externalUrl: t('events.authoring.field.externalUrl'),
    capacity: t('events.authoring.field.capacity'),
    feedback: t('events.authoring.field.feedback'),
    questions: t('events.authoring.questions'),
    ...Object.fromEntries(questions.flatMap((q, i) => ['labelHant', 'kind', 'optionsHant'].map((f) => [`question-${q.key}-${f}`, t('events.authoring.question.number', { n: i + 1 })]))),
  };
  const organisationOptions = [...lookups.organisations.values()].map((o) => ({ value: o.id, label: ctx.text(o.name), side: o.side }));
  const sides = [
    { label: t('events.authoring.side.hong-kong'), side: 'hong-kong' },
    { label: t('events.authoring.side.zhejiang'), side: 'zhejiang' },
  ];
  const commitmentGroups = lookups.areas.map((area) => ({
    label: areaName(ctx, area),
    options: lookups.commitments.filter((c) => c.agreementId === area.agreementId && c.areaNumber === area.number).map((c) => ({ value: String(c.id), label: commitmentOptionLabel(ctx, c) })),
  }));
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={crumbs(ctx, { label: title })}>
      <h1>{title}</h1>
      {event && (
        <p class="meta">
          {event.reference} · <EventStatusBadge ctx={ctx} status={event.status} />
          {event.status !== 'draft' && (
            <>
              {' '}
              · <a href={ctx.href(eventPath(event.reference))}>{t('events.authoring.publicPage')}</a>
            </>
          )}
        </p>
      )}
      {notice && <Notice>{t(notice)}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} labels={labels} />
      <Form ctx={ctx} action={ctx.href(event ? workspaceEventPath(event.reference) : `${WORKSPACE}/new`)}>
        <fieldset>
          <legend>{t('events.authoring.section.about')}</legend>
          <SelectField
            ctx={ctx}
            name="type"
            label={labels.type as string}
            value={values.type ?? 'promotion'}
            error={errors.type}
            options={EVENT_TYPES.map((type) => ({ value: type, label: typeName(ctx, type) }))}
          />
          <SelectField
            ctx={ctx}
            name="status"
            label={labels.status as string}
            hint={t('events.authoring.field.statusHint')}
            value={values.status ?? 'draft'}
            error={errors.status}
            options={EVENT_STATUSES.map((s) => ({ value: s, label: t(`events.authoring.status.${s}`) }))}
          />
          {event?.status !== 'cancelled' && (
            <TextArea
              ctx={ctx}
              name="cancelReason"
              label={labels.cancelReason as string}
              hint={t('events.authoring.field.cancelReasonHint')}
              value={values.cancelReason ?? ''}
              error={errors.cancelReason}
              rows={2}
            />
          )}
          <LocalizedFields ctx={ctx} prefix="title" legend={labels.titleHant as string} hint={t('events.authoring.oneLanguage')} values={values} errors={errors} />
          <LocalizedFields
            ctx={ctx}
            prefix="description"
            legend={t('events.authoring.field.description')}
            hint={t('events.authoring.field.descriptionHint')}
            values={values}
            errors={errors}
            multiline
          />
          <GroupedCheckboxes
            ctx={ctx}
            name="organisers"
            legend={labels.organisers as string}
            hint={t('events.authoring.field.organisersHint')}
            checked={organisers}
            error={errors.organisers}
            groups={[
              ...sides.map((s) => ({ label: s.label, options: organisationOptions.filter((o) => o.side === s.side) })),
              { label: t('events.authoring.side.other'), options: organisationOptions.filter((o) => o.side !== 'hong-kong' && o.side !== 'zhejiang') },
            ]}
          />
          <GroupedCheckboxes
            ctx={ctx}
            name="commitments"
            legend={labels.commitments as string}
            hint={t('events.authoring.field.commitmentsHint')}
            checked={commitments}
            error={errors.commitments}
            groups={commitmentGroups}
          />
          <TextField
            ctx={ctx}
            name="contactEmail"
            type="email"
            autocomplete="email"
            label={labels.contactEmail as string}
            hint={t('events.authoring.field.contactEmailHint')}
            value={values.contactEmail ?? ''}
            error={errors.contactEmail}
          />
        </fieldset>

        <fieldset>
          <legend>{t('events.authoring.section.where')}</legend>
          <SelectField
            ctx={ctx}
            name="city"
            label={labels.city as string}
            value={values.city ?? ''}
            blank=""
            error={errors.city}
            options={eventCities().map((c) => ({ value: c.key, label: ctx.text(c.name) }))}
          />
          <LocalizedFields ctx={ctx} prefix="venue" legend={t('events.authoring.field.venue')} hint={t('events.authoring.field.venueHint')} values={values} errors={errors} />
          <TextField ctx={ctx} name="onlineUrl" label={labels.onlineUrl as string} hint={t('events.authoring.field.onlineUrlHint')} value={values.onlineUrl ?? ''} error={errors.onlineUrl} />
        </fieldset>

        <fieldset>
          <legend>{t('events.authoring.section.when')}</legend>
          {simpleRule && <p>{t('events.authoring.rule.current', { rule: ruleText(ctx, simpleRule) })}</p>}
          <SelectField
            ctx={ctx}
            name="timeZone"
            label={labels.timeZone as string}
            value={values.timeZone ?? 'Asia/Hong_Kong'}
            error={errors.timeZone}
            options={zones.map((z) => ({ value: z, label: z === 'Asia/Hong_Kong' || z === 'Asia/Shanghai' ? t(`events.authoring.zone.${z}`) : z }))}
          />
          <TextField ctx={ctx} name="startDate" type="date" label={labels.startDate as string} hint={t('events.authoring.field.dateHint')} value={values.startDate ?? ''} error={errors.startDate} />
          <TextField ctx={ctx} type="time" name="startTime" label={labels.startTime as string} hint={t('events.authoring.field.timeHint')} value={values.startTime ?? ''} error={errors.startTime} />
          <TextField ctx={ctx} name="endDate" type="date" label={labels.endDate as string} hint={t('events.authoring.field.endDateHint')} value={values.endDate ?? ''} error={errors.endDate} />
          <TextField ctx={ctx} type="time" name="endTime" label={labels.endTime as string} hint={t('events.authoring.field.timeHint')} value={values.endTime ?? ''} error={errors.endTime} />
          <fieldset>
            <legend>{t('events.authoring.section.repeat')}</legend>
            {customRule && (
              <p>
                {t('events.authoring.rule.custom')} <code>{customRule}</code>
              </p>
            )}
            <SelectField
              ctx={ctx}
              name="frequency"
              label={labels.frequency as string}
              value={values.frequency ?? 'none'}
              error={errors.frequency}
              options={[
                ...(customRule ? [{ value: 'custom', label: t('events.authoring.frequency.custom') }] : []),
                ...FREQUENCIES.map((f) => ({ value: f, label: t(`events.authoring.frequency.${f}`) })),
              ]}
            />
            <TextField
              ctx={ctx}
              name="interval"
              inputmode="numeric"
              label={labels.interval as string}
              hint={t('events.authoring.field.intervalHint')}
              value={values.interval ?? '1'}
              error={errors.interval}
            />
            <SelectField
              ctx={ctx}
              name="repeatEnd"
              label={t('events.authoring.field.repeatEnd')}
              value={values.repeatEnd ?? 'count'}
              error={errors.repeatEnd}
              options={[
                { value: 'count', label: t('events.authoring.repeatEnd.count') },
                { value: 'until', label: t('events.authoring.repeatEnd.until') },
              ]}
            />
            <TextField ctx={ctx} name="count" inputmode="numeric" label={labels.count as string} hint={t('events.authoring.field.countHint')} value={values.count ?? ''} error={errors.count} />
            <TextField ctx={ctx} name="until" type="date" label={labels.until as string} value={values.until ?? ''} error={errors.until} />
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>{t('events.authoring.section.registration')}</legend>
          <SelectField
            ctx={ctx}
            name="registration"
            label={labels.registration as string}
            value={values.registration ?? 'off'}
            error={errors.registration}
            options={REGISTRATION_MODES.map((m) => ({ value: m, label: t(`events.authoring.registration.${m}`) }))}
          />
          <TextField ctx={ctx} name="externalUrl" label={labels.externalUrl as string} hint={t('events.authoring.field.externalUrlHint')} value={values.externalUrl ?? ''} error={errors.externalUrl} />
          <TextField
            ctx={ctx}
            name="capacity"
            inputmode="numeric"
            label={labels.capacity as string}
            hint={t('events.authoring.field.capacityHint')}
            value={values.capacity ?? ''}
            error={errors.capacity}
          />
          <Checkbox name="requiresApproval" label={t('events.authoring.field.requiresApproval')} hint={t('events.authoring.field.requiresApprovalHint')} checked={values.requiresApproval === 'on'} />
          <fieldset id="field-questions" class={errors.questions ? 'field-error' : undefined}>
            <legend>{labels.questions}</legend>
            <p class="hint">{t('events.authoring.questionsHint')}</p>
            {errors.questions && <p class="error-message">{errorText(ctx, errors.questions)}</p>}
            {questions.map((row, i) => (
              <QuestionRow ctx={ctx} row={row} number={i + 1} errors={errors} />
            ))}
          </fieldset>
          <SelectField
            ctx={ctx}
            name="feedback"
            label={labels.feedback as string}
            value={values.feedback ?? 'type'}
            error={errors.feedback}
            options={FEEDBACK_CHOICES.map((f) => ({ value: f, label: t(`events.authoring.feedback.${f}`) }))}
          />
        </fieldset>
        <button type="submit">{event ? t('events.authoring.save') : t('events.authoring.create')}</button>
      </Form>

      {event && (
        <section aria-labelledby="dates-title">
          <h2 id="dates-title">{t('events.authoring.dates')}</h2>
          {occurrences.length === 0 ? (
            <p>{t('events.authoring.noDates')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('events.authoring.dates.when')}</th>
                  <th scope="col">{t('events.authoring.dates.status')}</th>
                  <th scope="col">{t('events.authoring.dates.registrations')}</th>
                  <th scope="col">{t('events.authoring.dates.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {occurrences.map(({ occurrence: o, counts }) => (
                  <tr>
                    <th scope="row">
                      <When ctx={ctx} startsAt={o.startsAt} endsAt={o.endsAt} timeZone={event.timeZone} />
                    </th>
                    <td>
                      <OccurrenceStatus ctx={ctx} occurrence={o} />
                    </td>
                    <td>
                      <CountsText ctx={ctx} counts={counts} />
                    </td>
                    <td>
                      <a href={ctx.href(workspaceOccurrencePath(event.reference, o.slot))}>{t('events.authoring.dates.change', { date: ctx.date(o.slot) })}</a>
                      {event.registration === 'platform' && (
                        <>
                          {' · '}
                          <a href={ctx.href(`${workspaceOccurrencePath(event.reference, o.slot)}/registrations`)}>{t('events.authoring.dates.registrationsLink', { date: ctx.date(o.slot) })}</a>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Layout>
  );
}
