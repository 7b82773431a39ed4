import type { Kysely } from 'kysely';
import { type Actor, audit, diff, type RequestInfo } from '../../platform/audit/audit.ts';
import { agenciesOf, type Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import { EVENT_TYPES, type EventQuestion, type EventStatus, type EventType, type RegistrationMode } from './tables.ts';
import {
  Choice,
  Email,
  type FieldError,
  Fields,
  type FieldsOf,
  type FormResult,
  hasErrors,
  isDate,
  localizedFields,
  localizedValue,
  Optional,
  readForm,
  readList,
  Text,
} from '../../platform/http/forms.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import { isCity } from './cities.ts';
import { cancelOccurrenceIn, cancelRegistrationsOf, REASON_MAX } from './cancel-occurrence.ts';
import { tellRegistrants } from './occurrence-emails.ts';
import { type MailSettings, promoteFromWaitlist } from './promote-waitlisted.ts';
import { type EventRecord, type EventValues, insertEvent, updateEvent } from './queries/events.ts';
import { effective, findOccurrences, lockOccurrence, type Occurrence, syncOccurrences, updateOccurrence } from './queries/occurrences.ts';
import { answeredKeys, countHeld } from './queries/registrations.ts';
import { buildRule, expandSchedule, instantOf, isTimeZone, localOf, readRule, type RuleError, type SimpleRule } from './recurrence.ts';
import { keepsEveryEvent } from './policy.ts';

export const EVENT_STATUSES: readonly EventStatus[] = ['draft', 'published', 'cancelled'];
export const REGISTRATION_MODES: readonly RegistrationMode[] = ['off', 'platform', 'external'];
/** The zones the form offers (an event in another zone, made elsewhere, keeps its own). */
export const TIME_ZONES = ['Asia/Hong_Kong', 'Asia/Shanghai'] as const;
export const FREQUENCIES = ['none', 'daily', 'weekly', 'monthly', 'yearly'] as const;
/** 'custom': the event's rule is one the form cannot show; it is kept as written. */
type Frequency = (typeof FREQUENCIES)[number] | 'custom';
/** 'type': on for symposiums, off otherwise. */
export const FEEDBACK_CHOICES = ['type', 'yes', 'no'] as const;
export const QUESTION_KINDS: readonly EventQuestion['kind'][] = ['text', 'choice', 'yes-no'];
const MAX_QUESTIONS = 20;
/** The longest an occurrence may last: two weeks (a study tour), as the database allows. */
const MAX_DURATION_MINUTES = 20_160;

const EVENT_FORM = Fields({
  type: Choice(EVENT_TYPES),
  status: Choice(EVENT_STATUSES),
  ...localizedFields('title', 300),
  ...localizedFields('description', 20_000),
  city: Text(40),
  ...localizedFields('venue', 300),
  onlineUrl: Optional(Text(2_000)),
  timeZone: Text(60),
  startDate: Text(10),
  startTime: Text(5),
  endDate: Optional(Text(10)),
  endTime: Text(5),
  frequency: Choice([...FREQUENCIES, 'custom']),
  interval: Optional(Text(3)),
  repeatEnd: Optional(Choice(['count', 'until'])),
  count: Optional(Text(3)),
  until: Optional(Text(10)),
  registration: Choice(REGISTRATION_MODES),
  externalUrl: Optional(Text(2_000)),
  capacity: Optional(Text(6)),
  requiresApproval: Optional(Text(10)),
  feedback: Choice(FEEDBACK_CHOICES),
  contactEmail: Optional(Email()),
  cancelReason: Optional(Text(REASON_MAX)),
});

export type EventField = FieldsOf<typeof EVENT_FORM>;
/** Fields of a question row: `question-<key>-<name>`. */
type QuestionField = 'labelHant' | 'labelHans' | 'labelEn' | 'kind' | 'optionsHant' | 'optionsHans' | 'optionsEn' | 'required';
export type EventErrors = Partial<Record<string, FieldError>>;

/** A question as typed in the form: its key (kept for an existing question) and its fields. */
export interface QuestionInput {
  key: string;
  values: Record<QuestionField, string>;
}

/** Everything the event form sends. */
export interface EventInput {
  form: FormResult<EventField>;
  organisers: string[];
  commitments: string[];
  questions: QuestionInput[];
}

const QUESTION_FIELDS: readonly QuestionField[] = ['labelHant', 'labelHans', 'labelEn', 'kind', 'optionsHant', 'optionsHans', 'optionsEn', 'required'];
const QUESTION_KEY = /^q[1-9]\d{0,2}$/;

/** Reads the event form: its fields, the organisers and commitments ticked, and the question rows. */
export function readEventInput(body: unknown): EventInput {
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text = (name: string, max: number) => {
    const v = input[name];
    return typeof v === 'string' ? v.trim().slice(0, max) : '';
  };
  const questions = readList(body, 'questionKey')
    .filter((key) => QUESTION_KEY.test(key))
    .slice(0, MAX_QUESTIONS + 1)
    .map((key) => ({ key, values: Object.fromEntries(QUESTION_FIELDS.map((f) => [f, text(`question-${key}-${f}`, f.startsWith('options') ? 4_000 : 500)])) as Record<QuestionField, string> }));
  return { form: readForm(body, EVENT_FORM), organisers: readList(body, 'organisers'), commitments: readList(body, 'commitments'), questions };
}

// ---------------------------------------------------------------------------------------------------
// Pieces shared with the form of one occurrence

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const INTEGER = /^\d{1,6}$/;

/**
 * A start and an end as typed (dates and times in `timeZone`): the start's wall-clock time, the
 * instants and the length, or the errors by field. An empty end date means the start's date.
 */
export function readSpan(
  v: { startDate: string; startTime: string; endDate: string; endTime: string },
  timeZone: string,
): { ok: true; startsLocal: string; startsAt: Date; endsAt: Date; durationMinutes: number } | { ok: false; errors: EventErrors } {
  const errors: EventErrors = {};
  const endDate = v.endDate || v.startDate;
  if (v.startDate && !isDate(v.startDate)) errors.startDate = 'invalid_date';
  if (v.startTime && !TIME.test(v.startTime)) errors.startTime = 'event_invalid_time';
  if (v.endDate && !isDate(v.endDate)) errors.endDate = 'invalid_date';
  if (v.endTime && !TIME.test(v.endTime)) errors.endTime = 'event_invalid_time';
  if (!v.startDate || !v.startTime || !v.endTime || hasErrors(errors)) return { ok: false, errors };
  const startsLocal = `${v.startDate}T${v.startTime}`;
  const startsAt = instantOf(startsLocal, timeZone);
  const endsAt = instantOf(`${endDate}T${v.endTime}`, timeZone);
  const durationMinutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
  if (durationMinutes <= 0) return { ok: false, errors: { endTime: 'event_ends_before_start' } };
  if (durationMinutes > MAX_DURATION_MINUTES) return { ok: false, errors: { endDate: 'event_too_long' } };
  return { ok: true, startsLocal, startsAt, endsAt, durationMinutes };
}

/** A web address that starts with https:// and parses as one. */
export function isHttps(value: string): boolean {
  if (!/^https:\/\/\S+$/i.test(value)) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** A number of places, 1 to 100,000. */
export function readCapacity(value: string): number | 'event_invalid_capacity' {
  const n = Number(value.replace(/[,\s]/g, ''));
  return INTEGER.test(value.replace(/[,\s]/g, '')) && n >= 1 && n <= 100_000 ? n : 'event_invalid_capacity';
}

/** The form's values of a stored text list: one option per line. */
const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

// ---------------------------------------------------------------------------------------------------
// The form's values of a stored event (to show it for editing)

export function eventFormValues(event: EventRecord): Record<EventField, string> {
  const end = localOf(new Date(instantOf(event.startsLocal, event.timeZone).getTime() + event.durationMinutes * 60_000), event.timeZone);
  const rule = event.rrule ? readRule(event.rrule) : undefined;
  const frequency: Frequency = !event.rrule ? 'none' : rule ? rule.frequency : 'custom';
  const loc = (prefix: string, text: LocalizedText) => ({ [`${prefix}Hant`]: text['zh-Hant'] ?? '', [`${prefix}Hans`]: text['zh-Hans'] ?? '', [`${prefix}En`]: text.en ?? '' });
  return {
    type: event.type,
    status: event.status,
    ...loc('title', event.title),
    ...loc('description', event.description),
    city: event.city,
    ...loc('venue', event.venue),
    onlineUrl: event.onlineUrl ?? '',
    timeZone: event.timeZone,
    startDate: event.startsLocal.slice(0, 10),
    startTime: event.startsLocal.slice(11, 16),
    endDate: end.slice(0, 10),
    endTime: end.slice(11, 16),
    frequency,
    interval: rule ? String(rule.interval) : '1',
    repeatEnd: rule?.until ? 'until' : 'count',
    count: rule?.count ? String(rule.count) : '',
    until: rule?.until ?? '',
    registration: event.registration,
    externalUrl: event.externalUrl ?? '',
    capacity: event.capacity === null ? '' : String(event.capacity),
    requiresApproval: event.requiresApproval ? 'on' : '',
    feedback: event.feedback ? 'yes' : 'no',
    contactEmail: event.contactEmail ?? '',
    cancelReason: '',
  } as Record<EventField, string>;
}

export function questionRows(questions: readonly EventQuestion[]): QuestionInput[] {
  const column = (q: EventQuestion, locale: keyof LocalizedText) => (q.options ?? []).map((o) => o[locale] ?? '').join('\n');
  return questions.map((q) => ({
    key: q.key,
    values: {
      labelHant: q.label['zh-Hant'] ?? '',
      labelHans: q.label['zh-Hans'] ?? '',
      labelEn: q.label.en ?? '',
      kind: q.kind,
      optionsHant: column(q, 'zh-Hant'),
      optionsHans: column(q, 'zh-Hans'),
      optionsEn: column(q, 'en'),
      required: q.required ? 'on' : '',
    },
  }));
}

/** The key a new question row gets: one above every key in use, answered or not. */
export function nextQuestionKey(keys: readonly string[]): string {
  const numbers = keys.filter((k) => QUESTION_KEY.test(k)).map((k) => Number(k.slice(1)));
  return `q${Math.max(0, ...numbers) + 1}`;
}

// ---------------------------------------------------------------------------------------------------
// Validation

const RULE_FIELD: Record<RuleError, EventField> = {
  rrule_invalid: 'frequency',
  rrule_frequency: 'frequency',
  rrule_unbounded: 'count',
  rrule_too_many: 'count',
  rrule_empty: 'until',
};

/**
 * Reads and checks the questions. Existing questions keep their keys; a new row gets a key never
 * used before (answered keys included). A row with no label in any language is left out (removed).
 */
function readQuestions(rows: QuestionInput[], existing: readonly EventQuestion[], answered: readonly string[], errors: EventErrors): EventQuestion[] {
  const known = new Set(existing.map((q) => q.key));
  const used = [...existing.map((q) => q.key), ...answered];
  const out: EventQuestion[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const v = row.values;
    const label = localizedValue(v, 'label');
    const options = { 'zh-Hant': lines(v.optionsHant), 'zh-Hans': lines(v.optionsHans), en: lines(v.optionsEn) };
    const field = (name: QuestionField) => `question-${row.key}-${name}`;
    if (Object.keys(label).length === 0) {
      if (Object.values(options).some((o) => o.length)) errors[field('labelHant')] = 'one_language_required';
      continue;
    }
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    let key = row.key;
    if (!known.has(key)) {
      key = nextQuestionKey([...used, ...out.map((q) => q.key)]);
    }
    const kind = v.kind as EventQuestion['kind'];
    if (!QUESTION_KINDS.includes(kind)) {
      errors[field('kind')] = 'invalid_choice';
      continue;
    }
    const question: EventQuestion = { key, label, kind, required: v.required === 'on' };
    if (kind === 'choice') {
      const counts = Object.values(options)
        .map((o) => o.length)
        .filter((n) => n > 0);
      if (counts.length === 0) errors[field('optionsHant')] = 'event_options_required';
      else if (new Set(counts).size > 1) errors[field('optionsHant')] = 'event_options_mismatch';
      else if ((counts[0] as number) > 50) errors[field('optionsHant')] = 'event_too_many_options';
      else {
        question.options = Array.from({ length: counts[0] as number }, (_, i) => Object.fromEntries(Object.entries(options).flatMap(([locale, list]) => (list[i] ? [[locale, list[i]]] : []))));
      }
    }
    out.push(question);
  }
  if (out.length > MAX_QUESTIONS) errors.questions = 'event_too_many_questions';
  return out;
}

export type SaveEventResult = { ok: true; reference: string } | { ok: false; errors: EventErrors };

/**
 * Checks the event form and turns it into an event's values, or field errors. `organisations` and
 * `commitmentIds` are those that exist; `principal` is who saves (an officer must name their agency).
 */
function validateEvent(options: {
  input: EventInput;
  existing?: EventRecord | undefined;
  principal: Principal;
  organisations: ReadonlySet<string>;
  commitmentIds: ReadonlySet<number>;
  answered: readonly string[];
}): { ok: true; values: EventValues; dates: ReturnType<typeof expandSchedule> & { ok: true } } | { ok: false; errors: EventErrors } {
  const { input, existing, principal } = options;
  const v = input.form.values;
  const errors: EventErrors = { ...input.form.errors };

  const title = localizedValue(v, 'title');
  if (Object.keys(title).length === 0) errors.titleHant = 'one_language_required';
  if (v.city && !isCity(v.city)) errors.city = 'invalid_choice';
  if (v.onlineUrl && !isHttps(v.onlineUrl)) errors.onlineUrl = 'invalid_url';
  const zones: readonly string[] = existing ? [...TIME_ZONES, existing.timeZone] : TIME_ZONES;
  if (v.timeZone && (!zones.includes(v.timeZone) || !isTimeZone(v.timeZone))) errors.timeZone = 'invalid_choice';
  if (v.contactEmail && errors.contactEmail === undefined && /[\s<>",;]/.test(v.contactEmail)) errors.contactEmail = 'invalid_email';

  // Organisers: at least one, all known; an officer (who is not a coordinator) names their own agency.
  if (input.organisers.length === 0) errors.organisers = 'event_organiser_required';
  else if (input.organisers.some((o) => !options.organisations.has(o))) errors.organisers = 'unknown_organisation';
  else if (!keepsEveryEvent(principal) && !input.organisers.some((o) => agenciesOf(principal).includes(o))) errors.organisers = 'event_own_agency_required';

  const commitmentIds = input.commitments.map(Number);
  if (commitmentIds.some((id) => !Number.isInteger(id) || !options.commitmentIds.has(id))) errors.commitments = 'invalid_choice';

  // Registration.
  const registration = v.registration as RegistrationMode;
  let capacity: number | null = null;
  if (v.capacity) {
    const c = readCapacity(v.capacity);
    if (typeof c === 'number') capacity = c;
    else errors.capacity = c;
  } else if (registration === 'platform') errors.capacity = 'event_capacity_required';
  if (registration === 'external') {
    if (!v.externalUrl) errors.externalUrl = 'required';
    else if (!isHttps(v.externalUrl)) errors.externalUrl = 'invalid_url';
  } else if (v.externalUrl && !isHttps(v.externalUrl)) errors.externalUrl = 'invalid_url';

  // Cancelling the whole event needs a reason for the people registered.
  if (v.status === 'cancelled' && existing?.status !== 'cancelled' && !v.cancelReason) errors.cancelReason = 'reason_required';

  const questions = readQuestions(input.questions, existing?.questions ?? [], options.answered, errors);

  // Time and repetition.
  const zone = errors.timeZone || !v.timeZone ? 'Asia/Hong_Kong' : v.timeZone;
  const span = readSpan(v, zone);
  if (!span.ok) Object.assign(errors, span.errors);
  let rrule: string | null = null;
  const frequency = v.frequency as Frequency;
  if (frequency === 'custom') {
    if (existing?.rrule && !readRule(existing.rrule)) rrule = existing.rrule;
    else errors.frequency = 'invalid_choice';
  } else if (frequency !== 'none' && FREQUENCIES.includes(frequency)) {
    const interval = v.interval ? Number(v.interval) : 1;
    if (!/^\d{1,3}$/.test(v.interval || '1') || interval < 1 || interval > 99) errors.interval = 'event_invalid_interval';
    let count: number | null = null;
    let until: string | null = null;
    if (v.repeatEnd === 'until') {
      if (!v.until) errors.until = 'required';
      else if (!isDate(v.until)) errors.until = 'invalid_date';
      else if (v.startDate && v.until < v.startDate) errors.until = 'event_until_before_start';
      else until = v.until;
    } else if (!v.count) errors.count = 'required';
    else if (!/^\d{1,3}$/.test(v.count) || Number(v.count) < 1) errors.count = 'event_invalid_count';
    else count = Number(v.count);
    if (!errors.interval && (count !== null || until !== null)) rrule = buildRule({ frequency: frequency as SimpleRule['frequency'], interval, count, until });
  }

  if (hasErrors(errors) || !span.ok) return { ok: false, errors };
  const values: EventValues = {
    type: v.type as EventType,
    status: v.status as EventStatus,
    title,
    description: localizedValue(v, 'description'),
    city: v.city,
    venue: localizedValue(v, 'venue'),
    onlineUrl: v.onlineUrl || null,
    timeZone: v.timeZone,
    startsLocal: span.startsLocal,
    durationMinutes: span.durationMinutes,
    rrule,
    registration,
    externalUrl: v.externalUrl || null,
    capacity,
    requiresApproval: v.requiresApproval === 'on',
    questions,
    feedback: v.feedback === 'type' ? v.type === 'symposium' : v.feedback === 'yes',
    contactEmail: v.contactEmail || null,
    organisers: [...input.organisers].sort(),
    commitmentIds: [...commitmentIds].sort((a, b) => a - b),
  };
  const dates = expandSchedule(values);
  if (!dates.ok) return { ok: false, errors: { [RULE_FIELD[dates.error]]: `event_${dates.error}` } };
  return { ok: true, values, dates };
}

const valuesOf = (e: EventRecord): EventValues => {
  const { id: _id, reference: _reference, createdBy: _createdBy, createdAt: _createdAt, updatedAt: _updatedAt, ...values } = e;
  return values;
};

const placeOf = (event: EventValues, o: Occurrence) => {
  const e = effective(event, o);
  return JSON.stringify([e.city, e.venue, e.onlineUrl]);
};

/**
 * Saves an event from its form: checks everything, then in one transaction inserts or updates it,
 * brings its dates in line with its rule (syncOccurrences), cancels the registrations of dates that
 * left the series, cancels the coming dates of an event being cancelled, tells registrants of dates
 * that moved or changed place, fills places a larger capacity freed from the waitlists, and audits.
 */
export async function saveEvent(options: {
  db: Kysely<Database>;
  input: EventInput;
  existing?: EventRecord | undefined;
  principal: Principal;
  organisations: ReadonlySet<string>;
  commitmentIds: ReadonlySet<number>;
  /** The reason kept on a date that left the series (in the organiser's language). */
  removedReason: string;
  now: Date;
  year: number;
  mail: MailSettings;
  actor: Actor;
  request?: RequestInfo;
}): Promise<SaveEventResult> {
  const { db, existing, now } = options;
  const answered = existing ? await answeredKeys(db, existing.id) : [];
  const checked = validateEvent({ ...options, answered });
  if (!checked.ok) return checked;
  const { values, dates } = checked;

  return db.transaction().execute(async (trx): Promise<SaveEventResult> => {
    const before = existing ? await findOccurrences(trx, existing.id) : [];

    // A smaller capacity may not leave a coming date with more places held than it has (counted under
    // the dates' locks, so no registration slips in between).
    if (existing && values.registration === 'platform' && values.capacity !== null && existing.capacity !== null && values.capacity < existing.capacity) {
      for (const o of before) {
        if (o.own.capacity !== null || o.status !== 'scheduled' || o.startsAt <= now) continue;
        await lockOccurrence(trx, o.id);
        if ((await countHeld(trx, o.id)) > values.capacity) return { ok: false, errors: { capacity: 'event_capacity_below_held' } };
      }
    }

    const saved = existing ? { id: existing.id, reference: existing.reference } : await insertEvent(trx, { ...values, year: options.year, createdBy: options.principal.user.id });
    if (existing) await updateEvent(trx, existing.id, values, now);
    const event: EventRecord = existing ? { ...existing, ...values } : { ...values, ...saved, createdBy: options.principal.user.id, createdAt: now, updatedAt: now };
    const change = await syncOccurrences(trx, saved.id, dates.occurrences, options.removedReason, now);
    const after = new Map((await findOccurrences(trx, saved.id)).map((o) => [o.id, o]));

    // Dates the rule no longer gives, with people registered: their registrations are cancelled.
    const removed: Record<string, string[]> = {};
    for (const id of change.cancelled) {
      const o = after.get(id) as Occurrence;
      const cancelled = await cancelRegistrationsOf(trx, { event, occurrence: o, reason: null, now, mail: options.mail });
      removed[o.slot] = cancelled;
    }

    // Cancelling the event cancels its coming dates.
    const cancelledDates: Record<string, string[]> = {};
    if (values.status === 'cancelled' && existing?.status !== 'cancelled') {
      for (const o of after.values()) {
        if (o.status !== 'scheduled' || o.startsAt <= now) continue;
        const locked = (await lockOccurrence(trx, o.id)) as Occurrence;
        cancelledDates[o.slot] = await cancelOccurrenceIn(trx, {
          event,
          occurrence: locked,
          reason: options.input.form.values.cancelReason,
          now,
          mail: options.mail,
          actor: options.actor,
          request: options.request,
        });
        after.set(o.id, { ...locked, status: 'cancelled', cancelReason: options.input.form.values.cancelReason });
      }
    }

    // Coming dates whose time moved, or whose place changed with the event's: registrants are told.
    const beforeById = new Map(before.map((o) => [o.id, o]));
    const moved = new Set(change.moved);
    const told: string[] = [];
    for (const o of after.values()) {
      const old = beforeById.get(o.id);
      if (!old || o.status !== 'scheduled' || o.endsAt <= now) continue;
      const placeChanged = existing !== undefined && placeOf(existing, old) !== placeOf(values, o);
      if (!moved.has(o.id) && !placeChanged) continue;
      if (placeChanged && !moved.has(o.id)) await updateOccurrence(trx, o.id, { bump: true }, now);
      if ((await tellRegistrants(trx, { event, occurrence: o, mail: options.mail })) > 0) told.push(o.slot);
    }

    // More places: the waitlists of the coming dates move up.
    if (existing && values.registration === 'platform' && values.capacity !== null && (existing.capacity === null || existing.registration !== 'platform' || values.capacity > existing.capacity)) {
      for (const o of after.values()) {
        if (o.own.capacity !== null || o.status !== 'scheduled' || o.startsAt <= now) continue;
        const locked = await lockOccurrence(trx, o.id);
        if (locked) await promoteFromWaitlist({ trx, event, occurrence: locked, now, mail: options.mail });
      }
    }

    await audit(trx, {
      actor: options.actor,
      action: existing ? 'event.updated' : 'event.created',
      entity: { type: 'event', id: saved.reference },
      changes: {
        ...diff(existing ? { ...valuesOf(existing) } : null, { ...values }),
        ...(change.added.length || change.moved.length || change.cancelled.length
          ? { dates: { before: null, after: { added: change.added.length, moved: change.moved.length, cancelled: change.cancelled.length } } }
          : {}),
        ...(Object.keys(removed).length ? { registrationsCancelled: { before: null, after: removed } } : {}),
        ...(Object.keys(cancelledDates).length ? { datesCancelled: { before: null, after: Object.keys(cancelledDates) } } : {}),
        ...(told.length ? { registrantsTold: { before: null, after: told } } : {}),
      },
      request: options.request,
    });
    return { ok: true, reference: saved.reference };
  });
}
