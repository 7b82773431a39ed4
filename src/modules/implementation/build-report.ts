import type { Kysely } from 'kysely';
import { groupBy } from '../../platform/collections.ts';
import type { Database } from '../../platform/db/schema.ts';
import { type Locale, pick } from '../../platform/i18n/locales.ts';
import { translator } from '../../platform/i18n/messages.ts';
import type { IndicatorCountSource } from '../../platform/indicator-counts.ts';
import type { Column, Sheet, Workbook } from '../../platform/reports/spreadsheet.ts';
import { findOrganisations } from '../organisations/index.ts';
import { attachCounts, countingOf, type IndicatorCounts, periodReading } from './indicator-counts.ts';
import { addDays, milestoneTiming } from './progress.ts';
import { findActions } from './queries/actions.ts';
import { findMilestones } from './queries/milestones.ts';
import { findIndicators } from './queries/indicators.ts';
import { findUpdates } from './queries/updates.ts';
import { findProjectAgreements } from './queries/project-agreements.ts';
import { findMeetings, findPreviousPlenary, type Meeting } from './queries/meetings.ts';
import { effectiveStatuses } from './read-model.ts';
import { ACTION_STATUSES } from './schemas.ts';
import { commitmentCode, type CommitmentKey, commitmentLabel, findAreas, findCommitmentKeys } from '../agreements/index.ts';

/** What a report covers: a calendar year, or the time since the plenary before a meeting. */
export type ReportScope = { kind: 'annual'; year: number } | { kind: 'meeting'; meeting: Meeting };

export const REPORT_TABLES = ['summary', 'actions', 'milestones', 'indicators', 'updates', 'project-agreements', 'meetings'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/**
 * A progress report in one language, as tables. The HTML page, the XLSX workbook, the CSV files and
 * `zjhk report` are all made from this one object, so they always show the same figures.
 */
export interface Report {
  locale: Locale;
  title: string;
  subtitle: string;
  from: string;
  to: string;
  generatedOn: string;
  illustrative: boolean;
  tables: Record<ReportTable, Sheet>;
}

const DAY = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/**
 * `counting`: the count sources of the app's modules, and the actuals of the counted indicators
 * (ImplementationReadModel.eventCounts(), or countActuals()).
 */
export async function buildReport(
  db: Kysely<Database>,
  scope: ReportScope,
  locale: Locale,
  today: string,
  counting: { sources: readonly IndicatorCountSource[]; counts: Pick<IndicatorCounts, 'periods'> },
): Promise<Report> {
  const t = translator(locale);
  const text = (value: Parameters<typeof pick>[0] | null | undefined) => pick(value ?? {}, locale).text;
  let from: string;
  let to: string;
  let title: string;
  if (scope.kind === 'annual') {
    from = `${scope.year}-01-01`;
    to = `${scope.year}-12-31`;
    title = t('impl.report.annualTitle', { year: scope.year });
  } else {
    const previous = await findPreviousPlenary(db, scope.meeting.heldOn);
    from = previous?.heldOn ?? '2023-06-26';
    to = scope.meeting.heldOn;
    title = t('impl.report.meetingTitle', { meeting: text(scope.meeting.title) });
  }
  const [commitments, areas, organisations, actions, found, projectAgreements, meetings] = await Promise.all([
    findCommitmentKeys(db),
    findAreas(db),
    findOrganisations(db),
    findActions(db),
    findIndicators(db, { periodsWithin: { from, to } }),
    findProjectAgreements(db),
    findMeetings(db),
  ]);
  const indicators = attachCounts(found, counting.counts);
  const milestones = await findMilestones(db, { actionIds: actions.map((a) => a.id) });
  // Updates approved in the period, and those (approved later) that carry the period's figures.
  const updates = await findUpdates(db, { states: ['approved'], approvedFrom: from, approvedBefore: addDays(to, 1), orReportingOn: { from, to } });
  const orgName = (id: string | null) => (id ? text(organisations.find((o) => o.id === id)?.name) || id : '');
  const byCommitment = new Map(commitments.map((c) => [c.id, c]));
  const label = (c: CommitmentKey | undefined) => (c ? commitmentLabel({ t, text }, areas, c) : '');
  const code = (id: number) => {
    const c = byCommitment.get(id);
    return c ? commitmentCode(c) : '';
  };
  const status = effectiveStatuses(
    actions,
    groupBy(milestones, (m) => m.actionId),
    to < today ? to : today,
  );
  const actionTitle = new Map(actions.map((a) => [a.id, text(a.title)]));
  const actionsById = new Map(actions.map((a) => [a.id, a]));

  const col = (key: string, header: string, kind: Column['kind'] = 'text', width?: number): Column => ({ key, header, kind, ...(width ? { width } : {}) });
  const inPeriod = (start: string | null, end: string | null) => (!end || end >= from) && (!start || start <= to);

  const actionRows = actions
    .filter((a) => inPeriod(a.startsOn, a.endsOn))
    .map((a) => ({
      code: code(a.commitmentId),
      commitment: label(byCommitment.get(a.commitmentId)),
      id: a.id,
      title: text(a.title),
      parent: a.parentId === null ? null : (actionTitle.get(a.parentId) ?? null),
      leadHongKong: orgName(a.leadHongKong),
      leadZhejiang: orgName(a.leadZhejiang),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      status: t(`impl.status.${status.get(a.id) ?? a.status}`),
    }));

  const milestoneRows = milestones
    .filter((m) => (m.dueOn >= from && m.dueOn <= to) || (m.metOn !== null && m.metOn >= from && m.metOn <= to))
    .map((m) => {
      const action = actionsById.get(m.actionId);
      const overdue = milestoneTiming(m, to < today ? to : today) === 'overdue';
      return {
        code: action ? code(action.commitmentId) : '',
        action: actionTitle.get(m.actionId) ?? '',
        title: text(m.title),
        dueOn: m.dueOn,
        status: overdue ? t('impl.milestone.overdue') : t(`impl.milestone.${m.status}`),
        metOn: m.metOn,
      };
    });

  const indicatorRows = indicators.flatMap((i) =>
    i.periods.map((p) => {
      const reading = periodReading(i, p, text);
      // A counted indicator shows its counts (per side for a per-side one), none of the updates' figures.
      const counted = i.countedBy !== null;
      const hk = counted ? undefined : p.actuals.find((a) => a.side === 'hong-kong');
      const zj = counted ? undefined : p.actuals.find((a) => a.side === 'zhejiang');
      const countedSide = (side: 'hongKong' | 'zhejiang') => (reading.kind === 'per-side' ? (reading[side]?.value ?? null) : null);
      const agreed = reading.kind === 'agreed' ? reading.value : reading.kind === 'per-side' ? reading.total : null;
      const note = counted
        ? t(countingOf(counting.sources, i.countedBy)?.source.badge ?? 'impl.indicator.counted')
        : reading.kind === 'differs'
          ? t('impl.reading.differs')
          : reading.kind === 'agreed' && !reading.confirmed
            ? t('impl.reading.unconfirmed', { side: t(reading.recordedBy[0] === 'hong-kong' ? 'impl.side.hongKong' : 'impl.side.zhejiang') })
            : '';
      return {
        code: code(i.commitmentId),
        indicator: text(i.name),
        unit: text(i.unit),
        periodStart: p.startsOn,
        periodEnd: p.endsOn,
        target: i.measure === 'qualitative' ? text(p.targetText) : p.targetValue,
        actual: i.measure === 'qualitative' ? (reading.kind === 'agreed' ? reading.text : null) : agreed,
        hongKong: counted ? countedSide('hongKong') : i.measure === 'qualitative' ? (hk?.text ? text(hk.text) : null) : (hk?.value ?? null),
        zhejiang: counted ? countedSide('zhejiang') : i.measure === 'qualitative' ? (zj?.text ? text(zj.text) : null) : (zj?.value ?? null),
        note,
      };
    }),
  );

  const updateRows = updates.map((u) => ({
    reference: u.reference,
    code: code(u.commitmentId),
    action: actionTitle.get(u.actionId) ?? '',
    agency: orgName(u.organisationId),
    approvedOn: DAY(u.approvedAt),
    narrative: text(u.narrative),
  }));

  const agreementRows = projectAgreements
    .filter((p) => p.signedOn >= from && p.signedOn <= to)
    .map((p) => ({
      reference: p.reference,
      title: text(p.title),
      parties: p.parties.map((x) => (x.organisationId ? orgName(x.organisationId) : text(x.name))).join('; '),
      signedOn: p.signedOn,
      status: t(`impl.projectAgreement.status.${p.status}`),
      commitments: p.commitmentIds.map(code).join(', '),
    }));

  const meetingRows = meetings
    .filter((m) => m.heldOn >= from && m.heldOn <= to)
    .map((m) => ({ reference: m.reference, type: t(`impl.meeting.type.${m.type}`), title: text(m.title), heldOn: m.heldOn, decisions: m.decisions.length }));

  const stageCounts = Object.fromEntries(ACTION_STATUSES.map((s) => [s, actions.filter((a) => a.parentId === null && inPeriod(a.startsOn, a.endsOn) && (status.get(a.id) ?? a.status) === s).length]));
  const summaryRows = [
    ...ACTION_STATUSES.map((s) => ({ measure: `${t('impl.report.actionsIn')}: ${t(`impl.status.${s}`)}`, value: stageCounts[s] ?? 0 })),
    { measure: t('impl.report.milestonesDue'), value: milestoneRows.length },
    { measure: t('impl.dashboard.milestonesMet'), value: milestones.filter((m) => m.metOn !== null && m.metOn >= from && m.metOn <= to).length },
    { measure: t('impl.dashboard.milestonesOverdue'), value: milestones.filter((m) => m.dueOn >= from && m.dueOn <= to && milestoneTiming(m, to < today ? to : today) === 'overdue').length },
    {
      measure: t('impl.report.updatesApproved'),
      value: updates.filter((u) => {
        const day = DAY(u.approvedAt);
        return day !== null && day >= from && day <= to;
      }).length,
    },
    { measure: t('impl.report.agreementsSigned'), value: agreementRows.length },
    { measure: t('impl.report.meetingsHeld'), value: meetingRows.length },
  ];

  const sheet = (key: ReportTable, columns: Column[], rows: Record<string, string | number | null>[]): Sheet => ({
    name: t(`impl.report.table.${key}`),
    title: `${title} — ${t(`impl.report.table.${key}`)}`,
    columns,
    rows,
  });
  const tables: Record<ReportTable, Sheet> = {
    summary: sheet('summary', [col('measure', t('impl.report.col.measure'), 'text', 50), col('value', t('impl.report.col.value'), 'number')], summaryRows),
    actions: sheet(
      'actions',
      [
        col('code', t('impl.report.col.code')),
        col('commitment', t('impl.dashboard.commitment')),
        col('id', 'ID', 'number'),
        col('title', t('impl.form.title'), 'text', 50),
        col('parent', t('impl.form.parent'), 'text', 30),
        col('leadHongKong', t('impl.leadHongKong')),
        col('leadZhejiang', t('impl.leadZhejiang')),
        col('startsOn', t('impl.form.startsOn'), 'date'),
        col('endsOn', t('impl.form.endsOn'), 'date'),
        col('status', t('impl.form.status')),
      ],
      actionRows,
    ),
    milestones: sheet(
      'milestones',
      [
        col('code', t('impl.report.col.code')),
        col('action', t('impl.update.action'), 'text', 40),
        col('title', t('impl.milestone.title'), 'text', 40),
        col('dueOn', t('impl.milestone.due'), 'date'),
        col('status', t('impl.milestone.status')),
        col('metOn', t('impl.milestone.metOn'), 'date'),
      ],
      milestoneRows,
    ),
    indicators: sheet(
      'indicators',
      [
        col('code', t('impl.report.col.code')),
        col('indicator', t('impl.indicator.name'), 'text', 40),
        col('unit', t('impl.indicator.unit')),
        col('periodStart', t('impl.report.col.periodStart'), 'date'),
        col('periodEnd', t('impl.report.col.periodEnd'), 'date'),
        col('target', t('impl.indicator.target'), 'number'),
        col('actual', t('impl.indicator.actual'), 'number'),
        col('hongKong', t('impl.side.hongKong'), 'number'),
        col('zhejiang', t('impl.side.zhejiang'), 'number'),
        col('note', t('impl.report.col.note'), 'text', 30),
      ],
      indicatorRows,
    ),
    updates: sheet(
      'updates',
      [
        col('reference', t('impl.reference')),
        col('code', t('impl.report.col.code')),
        col('action', t('impl.update.action'), 'text', 40),
        col('agency', t('impl.update.agency'), 'text', 30),
        col('approvedOn', t('impl.report.col.approvedOn'), 'date'),
        col('narrative', t('impl.update.narrative'), 'text', 60),
      ],
      updateRows,
    ),
    'project-agreements': sheet(
      'project-agreements',
      [
        col('reference', t('impl.reference')),
        col('title', t('impl.form.title'), 'text', 40),
        col('parties', t('impl.projectAgreement.parties'), 'text', 40),
        col('signedOn', t('impl.projectAgreement.signedOnLabel'), 'date'),
        col('status', t('impl.form.status')),
        col('commitments', t('impl.projectAgreement.commitments')),
      ],
      agreementRows,
    ),
    meetings: sheet(
      'meetings',
      [
        col('reference', t('impl.reference')),
        col('type', t('impl.meeting.type')),
        col('title', t('impl.form.title'), 'text', 40),
        col('heldOn', t('impl.meeting.heldOn'), 'date'),
        col('decisions', t('impl.meeting.decisions'), 'number'),
      ],
      meetingRows,
    ),
  };
  const illustrative = actions.some((a) => a.illustrative) || indicators.some((i) => i.illustrative);
  return { locale, title, subtitle: t('impl.report.period', { from, to }), from, to, generatedOn: today, illustrative, tables };
}

export function reportWorkbook(report: Report): Workbook {
  const t = translator(report.locale);
  return {
    title: report.title,
    subject: report.subtitle,
    locale: report.locale,
    sheets: REPORT_TABLES.map((k) => report.tables[k]),
    note: [report.subtitle, t('impl.report.generated', { date: report.generatedOn }), report.illustrative ? t('impl.report.illustrativeNote') : ''].filter(Boolean).join('\n'),
  };
}
