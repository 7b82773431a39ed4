import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Actor, audit, SYSTEM } from '../../../platform/audit/audit.ts';
import { json } from '../../../platform/db/index.ts';
import type { Database, Side } from '../../../platform/db/schema.ts';
import { LOCALES, type LocalizedText } from '../../../platform/i18n/locales.ts';
import { commitmentCode, findCommitmentKeys } from '../../agreements/index.ts';
import { type Checked, check, type FlatAction } from './check.ts';
import { AGREEMENT_ID, checkShape, type DemoIndicator, type ImplementationDemo, label, readImplementationDemo } from './data.ts';

export interface LoadImplementationDemoOptions {
  /** Today's date, 'YYYY-MM-DD': statuses in the file are checked against it and back-filled figures are dated on it. */
  today: string;
  print(line: string): void;
  /** Who the audit trail records (default: the system). */
  actor?: Actor;
  /** The data to load instead of the file (already parsed; its shape is checked all the same). */
  data?: ImplementationDemo;
}

/** The database's text for an indicator's source. */
function sourceText(source: DemoIndicator['source']): LocalizedText {
  if (source === 'illustrative') {
    return { 'zh-Hant': '示例數字，並非官方統計。', 'zh-Hans': '示例数字，并非官方统计。', en: 'Illustrative figures, not official statistics.' };
  }
  const out: LocalizedText = {};
  const inLocale = (text: LocalizedText | undefined, locale: (typeof LOCALES)[number]) => (text ? (text[locale] ?? label(text)) : '');
  for (const locale of LOCALES) {
    const en = locale === 'en';
    const parts = [inLocale(source.publisher, locale)];
    if (source.title) parts.push(en ? `“${source.title}”` : `《${source.title}》`);
    if (source.description) parts.push(inLocale(source.description, locale));
    parts.push(source.date);
    if (source.url) parts.push(source.url);
    const note = inLocale(source.note, locale);
    out[locale] = `${parts.join(en ? ', ' : '，')}${en ? '.' : '。'}${note ? (en ? ` ${note}` : note) : ''}`;
  }
  return out;
}

/** A local instant on a date (Hong Kong and Zhejiang share UTC+8). */
function at(date: string, time: string): string {
  return `${date}T${time}+08:00`;
}

function reference(prefix: string, year: string, id: number, digits: number): string {
  return `ZJHK-${prefix}-${year}-${String(id).padStart(digits, '0')}`;
}

type Trx = Transaction<Database>;

/**
 * Loads the demo data set into the implementation tables, all in one transaction and all marked
 * illustrative. Loads nothing when illustrative actions already exist. The agreement and the
 * organisations must be loaded first (`zjhk seed`).
 */
export async function loadImplementationDemo(db: Kysely<Database>, options: LoadImplementationDemoOptions): Promise<void> {
  const { today, print } = options;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, not "${today}"`);
  const data = options.data ? checkShape(options.data, 'the demo data given') : readImplementationDemo();
  const actor = options.actor ?? SYSTEM;

  await db.transaction().execute(async (trx) => {
    const already = await trx.selectFrom('actions').select('id').where('illustrative', '=', true).limit(1).executeTakeFirst();
    if (already) {
      print('  implementation demo: already loaded (illustrative actions exist); nothing added');
      return;
    }
    const commitmentRows = await findCommitmentKeys(trx, AGREEMENT_ID);
    if (commitmentRows.length === 0) throw new Error(`the demo needs the agreement ${AGREEMENT_ID} and its commitments: run \`zjhk seed\` first`);
    const commitmentIds = new Map(commitmentRows.map((c) => [commitmentCode(c), c.id]));
    const organisationRows = await trx.selectFrom('organisations').select(['id', 'side']).execute();
    const checked = check(data, today, commitmentIds, new Map(organisationRows.map((o) => [o.id, o.side])));
    const counts = await insertAll(trx, data, checked, today);
    await audit(trx, {
      actor,
      action: 'implementation.demo-loaded',
      entity: { type: 'agreement', id: AGREEMENT_ID },
      changes: Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, { before: 0, after: n }])),
    });
    print(
      `  implementation demo (illustrative): ${counts.actions} actions, ${counts.milestones} milestones, ${counts.indicators} indicators with ${counts.periods} periods and ${counts.actuals} figures, ${counts.updates} progress updates, ${counts.projectAgreements} project agreements, ${counts.meetings} meetings with ${counts.decisions} decisions`,
    );
  });
}

interface Counts {
  actions: number;
  milestones: number;
  indicators: number;
  periods: number;
  actuals: number;
  updates: number;
  projectAgreements: number;
  meetings: number;
  decisions: number;
}

async function insertAll(trx: Trx, data: ImplementationDemo, checked: Checked, today: string): Promise<Counts> {
  const counts: Counts = { actions: 0, milestones: 0, indicators: 0, periods: 0, actuals: 0, updates: 0, projectAgreements: 0, meetings: 0, decisions: 0 };

  // Meetings and their decisions first: actions point at the decision that created them.
  const decisionIds = new Map<string, number>();
  for (const [i, m] of data.meetings.entries()) {
    const createdAt = at(m.heldOn, '18:00:00');
    const { id } = await trx
      .insertInto('meetings')
      .values({
        reference: `tmp-${randomUUID()}`,
        type: m.type,
        title: json(m.title),
        held_on: m.heldOn,
        place: json(m.place),
        minutes: json(m.minutes),
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('meetings')
      .set({ reference: reference('M', m.heldOn.slice(0, 4), id, 2) })
      .where('id', '=', id)
      .execute();
    counts.meetings += 1;
    if (m.participants.length) {
      await trx
        .insertInto('meeting_participants')
        .values(m.participants.map((organisation_id) => ({ meeting_id: id, organisation_id })))
        .execute();
    }
    for (const d of m.decisions) {
      const decision = await trx
        .insertInto('meeting_decisions')
        .values({ meeting_id: id, number: d.number, text: json(d.text), commitment_id: d.commitment ? (checked.commitmentIds.get(d.commitment) ?? null) : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      decisionIds.set(`${i}:${d.number}`, decision.id);
      counts.decisions += 1;
    }
  }

  // Actions (parents before their children), their partners and milestones.
  const actionIds = new Map<string, number>();
  for (const a of checked.actions) {
    const action = a.action;
    const createdAt = at(action.startsOn < today ? action.startsOn : today, '09:00:00');
    const decision = checked.createdBy.get(a.path);
    const { id } = await trx
      .insertInto('actions')
      .values({
        commitment_id: a.commitmentId,
        parent_id: a.parentPath === null ? null : (actionIds.get(a.parentPath) ?? null),
        decision_id: decision ? (decisionIds.get(decision) ?? null) : null,
        title: json(action.title),
        description: json(action.description ?? {}),
        lead_hong_kong: action.leadHongKong,
        lead_zhejiang: action.leadZhejiang,
        starts_on: action.startsOn,
        ends_on: action.endsOn,
        status: action.status,
        status_reason: action.statusReason ?? null,
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    actionIds.set(a.path, id);
    counts.actions += 1;
    if (action.partners?.length) {
      await trx
        .insertInto('action_partners')
        .values(action.partners.map((organisation_id) => ({ action_id: id, organisation_id })))
        .execute();
    }
    if (action.milestones.length) {
      await trx
        .insertInto('milestones')
        .values(
          action.milestones.map((m) => ({
            action_id: id,
            title: json(m.title),
            due_on: m.dueOn,
            status: m.status,
            met_on: m.metOn ?? null,
            evidence: json(m.evidence ?? {}),
            illustrative: true,
            created_at: createdAt,
            updated_at: m.metOn ? at(m.metOn, '17:00:00') : createdAt,
          })),
        )
        .execute();
      counts.milestones += action.milestones.length;
    }
  }

  // Project agreements, in the order given (their numbers follow it).
  const projectAgreementIds = new Map<string, number>();
  for (const pa of data.projectAgreements) {
    const createdAt = at(pa.signedOn, '12:00:00');
    const { id } = await trx
      .insertInto('project_agreements')
      .values({
        reference: `tmp-${randomUUID()}`,
        title: json(pa.title),
        summary: json(pa.summary ?? {}),
        parties: json(pa.parties.map((p) => (p.organisation ? { organisationId: p.organisation } : { name: p.name }))),
        signed_on: pa.signedOn,
        signed_place: json(pa.signedPlace),
        starts_on: pa.startsOn ?? null,
        ends_on: pa.endsOn ?? null,
        status: pa.status,
        source_url: pa.sourceUrl ?? null,
        illustrative: true,
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('project_agreements')
      .set({ reference: reference('P', pa.signedOn.slice(0, 4), id, 4) })
      .where('id', '=', id)
      .execute();
    projectAgreementIds.set(pa.key, id);
    counts.projectAgreements += 1;
    const commitments = [...new Set(pa.commitments.map((c) => checked.commitmentIds.get(c) as number))];
    if (commitments.length) {
      await trx
        .insertInto('project_agreement_commitments')
        .values(commitments.map((commitment_id) => ({ project_agreement_id: id, commitment_id })))
        .execute();
    }
  }

  // Indicators and their periods.
  const periodIds = new Map<string, number[]>();
  for (const indicator of data.indicators) {
    const { id } = await trx
      .insertInto('indicators')
      .values({
        commitment_id: checked.commitmentIds.get(indicator.commitment) as number,
        action_id: indicator.action ? (actionIds.get(indicator.action) ?? null) : null,
        name: json(indicator.name),
        description: json(indicator.description ?? {}),
        unit: json(indicator.unit),
        measure: indicator.measure,
        direction: indicator.direction,
        scope: indicator.scope,
        baseline_value: indicator.baseline?.value ?? null,
        baseline_text: indicator.baseline?.text ? json(indicator.baseline.text) : null,
        baseline_on: indicator.baseline?.on ?? null,
        source: json(sourceText(indicator.source)),
        illustrative: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    counts.indicators += 1;
    const ids: number[] = [];
    for (const p of indicator.periods) {
      const period = await trx
        .insertInto('indicator_periods')
        .values({ indicator_id: id, starts_on: p.startsOn, ends_on: p.endsOn, target_value: p.target ?? null, target_text: p.targetText ? json(p.targetText) : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(period.id);
      counts.periods += 1;
    }
    periodIds.set(indicator.key, ids);
  }
  const indicatorsByKey = new Map(data.indicators.map((i) => [i.key, i]));

  interface NewUpdate {
    actionPath: string;
    organisation: string;
    state: 'draft' | 'submitted' | 'returned' | 'approved';
    narrative: LocalizedText;
    createdAt: string;
    submittedAt: string | null;
    decidedAt: string | null;
    returnReason: string | null;
    values: { indicator: string; period: number; value: number | null; text: LocalizedText | null }[];
    projectAgreements: string[];
  }
  const insertUpdate = async (u: NewUpdate): Promise<void> => {
    const action = checked.byPath.get(u.actionPath) as FlatAction;
    const side = checked.sides.get(u.organisation) as Side;
    const { id } = await trx
      .insertInto('progress_updates')
      .values({
        reference: `tmp-${randomUUID()}`,
        action_id: actionIds.get(u.actionPath) as number,
        commitment_id: action.commitmentId,
        organisation_id: u.organisation,
        side,
        narrative: json(u.narrative),
        state: u.state,
        return_reason: u.returnReason,
        submitted_at: u.submittedAt,
        decided_at: u.decidedAt,
        approved_at: u.state === 'approved' ? u.decidedAt : null,
        illustrative: true,
        created_at: u.createdAt,
        updated_at: u.decidedAt ?? u.submittedAt ?? u.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('progress_updates')
      .set({ reference: reference('U', u.createdAt.slice(0, 4), id, 6) })
      .where('id', '=', id)
      .execute();
    counts.updates += 1;
    for (const v of u.values) {
      const periodId = periodIds.get(v.indicator)?.[v.period] as number;
      const text = v.text ? json(v.text) : null;
      await trx.insertInto('update_indicator_values').values({ update_id: id, period_id: periodId, value: v.value, text }).execute();
      if (u.state === 'approved') {
        await trx
          .insertInto('indicator_actuals')
          .values({ period_id: periodId, side, value: v.value, text, update_id: id, recorded_at: u.decidedAt as string })
          .execute();
        counts.actuals += 1;
      }
    }
    const linked = [...new Set(u.projectAgreements)];
    if (linked.length) {
      await trx
        .insertInto('update_project_agreements')
        .values(linked.map((key) => ({ update_id: id, project_agreement_id: projectAgreementIds.get(key) as number })))
        .execute();
    }
  };

  // The progress updates of the file; an approved one carries the figures it names.
  const covered = new Set<string>();
  for (const u of data.updates) {
    const side = checked.sides.get(u.organisation) as Side;
    await insertUpdate({
      actionPath: u.action,
      organisation: u.organisation,
      state: u.state,
      narrative: u.narrative,
      createdAt: u.createdAt,
      submittedAt: u.submittedAt ?? null,
      decidedAt: u.decidedAt ?? null,
      returnReason: u.returnReason ?? null,
      values: u.values.map((v) => {
        if (u.state !== 'approved') return { indicator: v.indicator, period: v.period, value: v.value ?? null, text: v.text ?? null };
        covered.add(`${v.indicator}:${v.period}:${side}`);
        const actual = indicatorsByKey.get(v.indicator)?.actuals.find((a) => a.period === v.period && a.side === side);
        return { indicator: v.indicator, period: v.period, value: actual?.value ?? null, text: actual?.text ?? null };
      }),
      projectAgreements: u.projectAgreements ?? [],
    });
  }

  // Every other past figure: one back-fill update per action and side, by that side's lead, approved today.
  const backfills = new Map<string, { actionPath: string; side: Side; indicators: Set<string>; values: NewUpdate['values'] }>();
  for (const indicator of data.indicators) {
    for (const a of indicator.actuals) {
      if (covered.has(`${indicator.key}:${a.period}:${a.side}`)) continue;
      const actionPath = indicator.action as string;
      const key = `${actionPath}:${a.side}`;
      const group = backfills.get(key) ?? { actionPath, side: a.side, indicators: new Set<string>(), values: [] };
      group.indicators.add(indicator.key);
      group.values.push({ indicator: indicator.key, period: a.period, value: a.value ?? null, text: a.text ?? null });
      backfills.set(key, group);
    }
  }
  for (const group of backfills.values()) {
    const action = (checked.byPath.get(group.actionPath) as FlatAction).action;
    const names = [...group.indicators].map((key) => (indicatorsByKey.get(key) as DemoIndicator).name);
    const nameIn = (locale: 'zh-Hant' | 'zh-Hans' | 'en') => names.map((n) => n[locale] ?? label(n));
    await insertUpdate({
      actionPath: group.actionPath,
      organisation: (group.side === 'hong-kong' ? action.leadHongKong : action.leadZhejiang) as string,
      state: 'approved',
      narrative: {
        'zh-Hant': `平台啟用時補錄以下指標的過往數字：${nameIn('zh-Hant').join('、')}。`,
        'zh-Hans': `平台启用时补录以下指标的以往数据：${nameIn('zh-Hans').join('、')}。`,
        en: `Past figures entered when the platform was set up, for: ${nameIn('en').join('; ')}.`,
      },
      createdAt: at(today, '09:00:00'),
      submittedAt: at(today, '09:00:00'),
      decidedAt: at(today, '09:30:00'),
      returnReason: null,
      values: group.values,
      projectAgreements: [],
    });
  }

  return counts;
}
