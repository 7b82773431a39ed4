import { Type as T } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { SignedInRequest } from '../../platform/auth/plugin.ts';
import { totpQrSvg } from '../../platform/auth/totp.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { RegistrationLocale } from './tables.ts';
import type { PageContext } from '../../platform/html/context.ts';
import { askFirst } from '../../platform/html/confirm.tsx';
import { renderPage } from '../../platform/html/layout.tsx';
import { HttpError, notFound } from '../../platform/http/errors.ts';
import type { FieldError } from '../../platform/http/forms.ts';
import { pageRoute } from '../../platform/http/pages.ts';
import { useCaseContext } from '../../platform/http/use-case.ts';
import { LOCALES } from '../../platform/i18n/locales.ts';
import type { App, AppContext } from '../../platform/module.ts';
import { cancelRegistration } from './cancel-registration.ts';
import { checkInUrl } from './emails.ts';
import type { MailSettings } from './promote-waitlisted.ts';
import { type EventRecord, findEvent, findEvents } from './queries/events.ts';
import { effective, findOccurrence, findOccurrenceById, type Occurrence } from './queries/occurrences.ts';
import { countHeld, countRegistrations, findRegistration, findRegistrations } from './queries/registrations.ts';
import type { EventsReadModel } from './read-model.ts';
import { closedReason, readAnswers, registerForEvent, waitlistPosition } from './register-for-event.ts';
import { MyRegistrationsPage, RegisterPage, RegistrationBox, RegistrationPage } from './views/registration.tsx';
import { DateSchema } from '../../platform/http/dates.ts';

const OccurrenceParams = T.Object({ reference: T.String({ pattern: '^ZJHK-V-\\d{4}-\\d{6}$' }), slot: DateSchema });
const RegistrationParams = T.Object({ reference: T.String({ pattern: '^ZJHK-R-\\d{4}-\\d{6}$' }) });
const DoneQuery = T.Object({ done: T.Optional(T.Union([T.Literal('registered'), T.Literal('cancelled')])) });
const FormBody = T.Record(T.String(), T.Unknown());
/** Per address: this many registrations (or attempts) in ten minutes. */
const REGISTER_LIMIT = { rateLimit: { max: 20, timeWindow: 10 * 60_000 } };

/** The box on an occurrence's page (rendered by the public pages; anonymous when the page is cached). */
export async function registrationPanel(options: { db: Kysely<Database>; page: PageContext; event: EventRecord; occurrence: Occurrence; now: Date }): Promise<preact.VNode | null> {
  const { db, page, event, occurrence } = options;
  if (event.registration === 'off') return null;
  const [counts, mine] = await Promise.all([
    countRegistrations(db, [occurrence.id]),
    page.principal ? findRegistrations(db, { occurrenceIds: [occurrence.id], userIds: [page.principal.user.id] }).then((r) => r[0]) : Promise.resolve(undefined),
  ]);
  return (
    <RegistrationBox
      ctx={page}
      event={event}
      occurrence={occurrence}
      counts={counts.get(occurrence.id) ?? { pending: 0, confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0, rejected: 0 }}
      mine={mine}
      closed={closedReason(event, occurrence, options.now)}
    />
  );
}

/** Registering for an occurrence, a person's own registrations, and cancelling one. */
export function registrationRoutes(app: App, ctx: AppContext, model: EventsReadModel): void {
  const db = ctx.db.kysely;
  const mail = async (): Promise<MailSettings> => {
    const [organisations, areas, commitments] = await Promise.all([model.organisations(), model.areas(), model.commitments()]);
    return { publicUrl: ctx.config.publicUrl, lookups: { organisations, areas, commitments } };
  };
  const changed = () => {
    model.changed();
    ctx.invalidate();
  };

  /** A published event's occurrence, or 404. */
  const load = async (reference: string, slot: string) => {
    const event = await findEvent(db, reference);
    if (!event || event.status === 'draft') return notFound('event');
    const occurrence = (await findOccurrence(db, event.id, slot)) ?? notFound('event');
    return { event, occurrence };
  };

  const formPage = async (page: PageContext, event: EventRecord, occurrence: Occurrence, values: Record<string, string>, errors: Partial<Record<string, FieldError>>) => {
    const full = (await countHeld(db, occurrence.id)) >= (effective(event, occurrence).capacity ?? 0);
    return renderPage(<RegisterPage ctx={page} event={event} occurrence={occurrence} values={values} errors={errors} full={full} />);
  };

  const registerAccess = { action: 'event.register' } as const;

  pageRoute(app, ctx.assets, '/events/:reference/:slot/register', { access: registerAccess, params: OccurrenceParams }, async (request, reply, page) => {
    const { event, occurrence } = await load(request.params.reference, request.params.slot);
    const [mine] = await findRegistrations(db, { occurrenceIds: [occurrence.id], userIds: [request.principal.user.id] });
    if (mine && mine.state !== 'cancelled') {
      reply.redirect(page.href(`/events/registrations/${mine.reference}`), 303);
      return '';
    }
    const closed = closedReason(event, occurrence, ctx.now());
    if (closed) throw new HttpError(409, closed, 'Registration is not open for this date');
    return formPage(page, event, occurrence, { locale: request.principal.user.locale }, {});
  });

  pageRoute(
    app,
    ctx.assets,
    '/events/:reference/:slot/register',
    { method: 'POST', access: registerAccess, params: OccurrenceParams, body: FormBody, config: REGISTER_LIMIT },
    async (request, reply, page) => {
      const { event, occurrence } = await load(request.params.reference, request.params.slot);
      const body = request.body;
      const { answers, errors } = readAnswers(event.questions, body);
      const locale = typeof body.locale === 'string' && (LOCALES as readonly string[]).includes(body.locale) ? (body.locale as RegistrationLocale) : undefined;
      if (!locale) errors.locale = 'invalid_choice';
      const values = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
      if (Object.keys(errors).length || !locale) return formPage(page, event, occurrence, values, errors);
      const principal = request.principal;
      const result = await registerForEvent({
        ...useCaseContext(request, ctx),
        event,
        occurrence,
        user: { id: principal.user.id, name: principal.user.displayName, email: principal.user.email },
        locale,
        answers,
        year: Number(ctx.today().slice(0, 4)),
        mail: await mail(),
      });
      if (!result.ok) {
        if (result.error === 'already_registered') {
          const [mine] = await findRegistrations(db, { occurrenceIds: [occurrence.id], userIds: [principal.user.id] });
          if (mine) {
            reply.redirect(page.href(`/events/registrations/${mine.reference}`), 303);
            return '';
          }
        }
        return formPage(page, event, occurrence, values, { locale: result.error });
      }
      changed();
      reply.redirect(page.href(`/events/registrations/${result.reference}?done=registered`), 303);
      return '';
    },
  );

  /** The person's own registration; anyone else finds nothing here (organisers use the workspace). */
  const own = async (request: SignedInRequest, reference: string) => {
    const registration = await findRegistration(db, reference);
    if (!registration || registration.userId !== request.principal.user.id) return notFound('event');
    const occurrence = (await findOccurrenceById(db, registration.occurrenceId)) ?? notFound('event');
    const [event] = await findEvents(db, { ids: [occurrence.eventId] });
    return { registration, occurrence, event: event ?? notFound('event') };
  };

  const registrationPage = async (page: PageContext, reference: string, request: SignedInRequest, state: { cancelError?: FieldError; done?: 'registered' | 'cancelled' }) => {
    const { registration, occurrence, event } = await own(request, reference);
    const holds = registration.state === 'confirmed' || registration.state === 'attended';
    const qr = holds
      ? await totpQrSvg(checkInUrl(ctx.config.publicUrl, registration.locale, registration.checkInCode), { label: page.t('events.email.qrAlt', { code: registration.checkInCode }) })
      : null;
    const position = registration.state === 'waitlisted' ? await waitlistPosition(db, occurrence.id, registration.reference) : 0;
    return renderPage(<RegistrationPage ctx={page} event={event} occurrence={occurrence} registration={registration} position={position} qr={qr} cancelError={state.cancelError} done={state.done} />);
  };

  pageRoute(app, ctx.assets, '/events/registrations/:reference', { access: registerAccess, params: RegistrationParams, querystring: DoneQuery }, async (request, _reply, page) =>
    registrationPage(page, request.params.reference, request, request.query.done ? { done: request.query.done } : {}),
  );

  pageRoute(app, ctx.assets, '/events/registrations/:reference/cancel', { method: 'POST', access: registerAccess, params: RegistrationParams, body: FormBody }, async (request, reply, page) => {
    const { registration, event } = await own(request, request.params.reference);
    const asking = askFirst(request, page, {
      question: page.t('events.register.confirmCancel.question'),
      subject: page.text(event.title),
      consequence: page.t('events.register.confirmCancel.consequence'),
      confirm: page.t('events.register.confirmCancel.confirm'),
      back: `/events/registrations/${registration.reference}`,
    });
    if (asking) return asking;
    const result = await cancelRegistration({ ...useCaseContext(request, ctx), event, registration, mail: await mail() });
    if (!result.ok) return registrationPage(page, registration.reference, request, { cancelError: result.error });
    changed();
    reply.redirect(page.href(`/events/registrations/${registration.reference}?done=cancelled`), 303);
    return '';
  });

  pageRoute(app, ctx.assets, '/events/mine', { access: registerAccess }, async (request, _reply, page) => {
    const registrations = await findRegistrations(db, { userIds: [request.principal.user.id] });
    const occurrences = new Map<number, Occurrence>();
    for (const r of registrations) {
      const o = await findOccurrenceById(db, r.occurrenceId);
      if (o) occurrences.set(o.id, o);
    }
    const events = new Map((await findEvents(db, { ids: [...new Set([...occurrences.values()].map((o) => o.eventId))] })).map((e) => [e.id, e]));
    const now = ctx.now().getTime();
    const rows = registrations
      .flatMap((registration) => {
        const occurrence = occurrences.get(registration.occurrenceId);
        const event = occurrence && events.get(occurrence.eventId);
        return occurrence && event ? [{ registration, occurrence, event }] : [];
      })
      // Coming ones first (soonest first), then past ones (latest first).
      .sort((a, b) => {
        const ta = a.occurrence.startsAt.getTime();
        const tb = b.occurrence.startsAt.getTime();
        return ta >= now !== tb >= now ? (ta >= now ? -1 : 1) : ta >= now ? ta - tb : tb - ta;
      });
    return renderPage(<MyRegistrationsPage ctx={page} rows={rows} />);
  });
}
