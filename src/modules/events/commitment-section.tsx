import type { AppContext, CommitmentSection } from '../../platform/module.ts';
import { eventCities } from './cities.ts';
import { findCalendarItems, findHeldItems, type HeldItem } from './queries/calendar.ts';
import { findOrganisersOf } from './queries/events.ts';
import type { EventsReadModel } from './read-model.ts';
import { CommitmentEventsSection } from './views/public/commitment-section.tsx';

/** Coming dates a commitment's page shows. */
const UPCOMING = 5;
/** Dates held a commitment's page shows (the calendar has the rest). */
const HELD = 10;

/**
 * "Events" on each commitment's page: its next dates, and the dates held with their attendance and
 * report (the evidence), with links to the filtered calendar and the commitment's feed. Read once per
 * stamp of the read model; nothing when no public event serves the commitment.
 */
export function eventsCommitmentSection(ctx: AppContext, model: EventsReadModel): Omit<CommitmentSection, 'order'> {
  const db = ctx.db.kysely;
  return {
    async load(ref, page) {
      const commitment = (await model.commitments()).find((c) => c.agreementId === ref.agreementId && c.areaNumber === ref.areaNumber && c.number === ref.number);
      if (!commitment) return { stamp: 'none', render: () => null };
      const stamp = model.stamp();
      const data = await model.memo(`commitment-section:${commitment.id}`, async () => {
        const now = ctx.now();
        const filter = { commitmentId: commitment.id };
        // A few more than shown: those that end during the stamp's life move to the dates held.
        const [upcoming, held] = await Promise.all([findCalendarItems(db, { filter, range: { kind: 'upcoming', now }, limit: UPCOMING * 2 }), findHeldItems(db, { filter, now, limit: HELD })]);
        const organisers = await findOrganisersOf(db, [...new Set(upcoming.map((i) => i.eventId))]);
        return { upcoming, held, organisers };
      });
      const [commitments, areas, organisations] = await Promise.all([model.commitments(), model.areas(), model.organisations()]);
      const now = ctx.now();
      const over = data.upcoming.filter((i) => i.endsAt <= now);
      const upcoming = data.upcoming.filter((i) => i.endsAt > now).slice(0, UPCOMING);
      // Ended since the stamp began: held now (their attendance is recorded later, which changes the stamp).
      const justHeld: HeldItem[] = over
        .filter((i) => i.status === 'scheduled')
        .reverse()
        .map((i) => ({ ...i, attendance: null, report: {} }));
      const held = [...justHeld, ...data.held].slice(0, HELD);
      const lookups = { commitments, areas, organisations, cities: eventCities(), timeZone: ctx.config.timeZone };
      return {
        stamp: `${stamp}:${over.length}`,
        render: () =>
          upcoming.length === 0 && held.length === 0 ? null : (
            <CommitmentEventsSection ctx={page} lookups={lookups} commitment={commitment} upcoming={upcoming} held={held} organisers={data.organisers} publicUrl={ctx.config.publicUrl} />
          ),
      };
    },
  };
}
