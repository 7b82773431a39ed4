import type { Side } from '../../../platform/db/schema.ts';
import type { LocalizedText } from '../../../platform/i18n/locales.ts';
import { AGREEMENT_ID, type DemoAction, type DemoIndicator, hasText, type ImplementationDemo, label } from './data.ts';

/** The checks of the demo data against the database and today, before anything is loaded. */

/** An action of the file, with where it is (for messages) and what it hangs on. */
export interface FlatAction {
  path: string;
  where: string;
  action: DemoAction;
  parentPath: string | null;
  commitmentId: number;
}

/** What the checks found out: the actions in order, and the ids and sides the file's keys name. */
export interface Checked {
  actions: FlatAction[];
  byPath: Map<string, FlatAction>;
  commitmentIds: Map<string, number>;
  sides: Map<string, Side>;
  /** Action path → the decision (meeting index, decision number) that created it. */
  createdBy: Map<string, string>;
}

const SOURCE_LABEL = 'data/demo/implementation.json';

function dateOf(instant: string): string {
  return instant.slice(0, 10);
}

/** Checks every reference and every date and status against the database and today; throws at the first mistake, naming the entry. */
export function check(data: ImplementationDemo, today: string, commitmentIds: Map<string, number>, sides: Map<string, Side | 'other'>): Checked {
  const fail = (where: string, message: string): never => {
    throw new Error(`${SOURCE_LABEL}: ${where}: ${message}`);
  };
  const commitment = (where: string, ref: string): number => commitmentIds.get(ref) ?? fail(where, `names an unknown commitment "${ref}" (no commitment ${ref} in ${AGREEMENT_ID})`);
  const organisation = (where: string, key: string, role: string, side?: Side): void => {
    const actual = sides.get(key);
    if (!actual) fail(where, `names an unknown organisation "${key}" as ${role}`);
    if (side && actual !== side) fail(where, `names "${key}" as ${role}, but it is on the ${actual} side, not ${side}`);
  };
  const text = (where: string, value: LocalizedText | undefined, field: string): void => {
    if (!hasText(value)) fail(where, `has no ${field} in any language`);
  };

  const flat: FlatAction[] = [];
  const checkAction = (action: DemoAction, path: string, parentPath: string | null, where: string): void => {
    const named = `${where} (${action.commitment} “${label(action.title)}”)`;
    const commitmentId = commitment(named, action.commitment);
    text(named, action.title, 'title');
    if (action.leadHongKong) organisation(named, action.leadHongKong, 'leadHongKong', 'hong-kong');
    if (action.leadZhejiang) organisation(named, action.leadZhejiang, 'leadZhejiang', 'zhejiang');
    for (const partner of action.partners ?? []) organisation(named, partner, 'partner');
    if (action.endsOn < action.startsOn) fail(named, `ends (${action.endsOn}) before it starts (${action.startsOn})`);
    if (action.status === 'discontinued' && !action.statusReason) fail(named, 'is discontinued without a statusReason');
    if (action.status === 'planned' && action.startsOn <= today) fail(named, `is planned but started on ${action.startsOn}`);
    if (action.status === 'completed' && action.endsOn > today) fail(named, `is completed but ends on ${action.endsOn}, after today`);
    action.milestones.forEach((m, i) => {
      const mWhere = `${named} milestones[${i}] (“${label(m.title)}”)`;
      text(mWhere, m.title, 'title');
      const reached = m.status === 'met' || m.status === 'partially-met';
      if (reached !== Boolean(m.metOn)) fail(mWhere, reached ? `is ${m.status} without metOn` : `has metOn but is ${m.status}`);
      if (m.metOn && m.metOn > today) fail(mWhere, `was met on ${m.metOn}, after today (${today})`);
      if (m.status === 'not-met' && m.dueOn >= today) fail(mWhere, `is not-met but only due on ${m.dueOn}`);
    });
    flat.push({ path, where: named, action, parentPath, commitmentId });
  };
  data.actions.forEach((action, i) => {
    checkAction(action, String(i), null, `actions[${i}]`);
    (action.children ?? []).forEach((child, j) => {
      checkAction(child, `${i}/${j}`, String(i), `actions[${i}].children[${j}]`);
      if (child.commitment !== action.commitment) fail(`actions[${i}].children[${j}]`, `is under commitment ${child.commitment} but its parent is under ${action.commitment}`);
    });
  });
  const byPath = new Map(flat.map((a) => [a.path, a]));
  const actionAt = (where: string, path: string): FlatAction => byPath.get(path) ?? fail(where, `names an unknown action "${path}"`);

  const indicators = new Map<string, DemoIndicator>();
  data.indicators.forEach((indicator, i) => {
    const where = `indicators[${i}] (${indicator.key})`;
    if (indicators.has(indicator.key)) fail(where, 'repeats an indicator key');
    indicators.set(indicator.key, indicator);
    commitment(where, indicator.commitment);
    text(where, indicator.name, 'name');
    if (indicator.source !== 'illustrative' && !indicator.source.title && !hasText(indicator.source.description)) fail(where, 'names a source with neither a title nor a description');
    if (indicator.action) {
      const action = actionAt(where, indicator.action);
      if (action.action.commitment !== indicator.commitment) fail(where, `is under commitment ${indicator.commitment} but its action ${indicator.action} is under ${action.action.commitment}`);
    }
    const starts = new Set<string>();
    indicator.periods.forEach((p, j) => {
      if (p.endsOn < p.startsOn) fail(`${where} periods[${j}]`, 'ends before it starts');
      if (starts.has(p.startsOn)) fail(`${where} periods[${j}]`, `repeats the start ${p.startsOn}`);
      starts.add(p.startsOn);
    });
    const seen = new Set<string>();
    indicator.actuals.forEach((a, j) => {
      const aWhere = `${where} actuals[${j}]`;
      const period = indicator.periods[a.period] ?? fail(aWhere, `names period ${a.period}, but the indicator has ${indicator.periods.length}`);
      if (period.endsOn >= today) fail(aWhere, `gives a figure for a period that has not ended (${period.startsOn} – ${period.endsOn})`);
      if (seen.has(`${a.period}:${a.side}`)) fail(aWhere, `repeats the ${a.side} figure of period ${a.period}`);
      seen.add(`${a.period}:${a.side}`);
      if (indicator.measure === 'qualitative' ? !hasText(a.text) : a.value === undefined) fail(aWhere, indicator.measure === 'qualitative' ? 'needs a text' : 'needs a value');
    });
  });

  const projectAgreements = new Set<string>();
  data.projectAgreements.forEach((pa, i) => {
    const where = `projectAgreements[${i}] (${pa.key})`;
    if (projectAgreements.has(pa.key)) fail(where, 'repeats a project agreement key');
    projectAgreements.add(pa.key);
    text(where, pa.title, 'title');
    for (const ref of pa.commitments) commitment(where, ref);
    pa.parties.forEach((party, j) => {
      if (party.organisation) organisation(where, party.organisation, `party ${j + 1}`);
      else if (!hasText(party.name)) fail(where, `party ${j + 1} has neither an organisation nor a name`);
    });
    if (pa.startsOn && pa.endsOn && pa.endsOn < pa.startsOn) fail(where, 'ends before it starts');
  });

  const covered = new Set<string>();
  data.updates.forEach((u, i) => {
    const action = actionAt(`updates[${i}]`, u.action);
    const where = `updates[${i}] (${u.organisation} on action ${u.action})`;
    organisation(where, u.organisation, 'author');
    if (u.organisation !== action.action.leadHongKong && u.organisation !== action.action.leadZhejiang) fail(where, `is by "${u.organisation}", which does not lead action ${u.action}`);
    const side = sides.get(u.organisation) as Side;
    text(where, u.narrative, 'narrative');
    if (u.state !== 'draft' && !u.submittedAt) fail(where, `is ${u.state} without submittedAt`);
    if ((u.state === 'approved' || u.state === 'returned') !== Boolean(u.decidedAt)) fail(where, `is ${u.state} ${u.decidedAt ? 'with' : 'without'} decidedAt`);
    if ((u.state === 'returned') !== Boolean(u.returnReason)) fail(where, u.state === 'returned' ? 'is returned without a returnReason' : 'has a returnReason but is not returned');
    const times = [u.createdAt, u.submittedAt, u.decidedAt].filter((t): t is string => Boolean(t));
    for (let k = 1; k < times.length; k += 1) if (Date.parse(times[k] as string) < Date.parse(times[k - 1] as string)) fail(where, 'has its timestamps out of order');
    if (times.some((t) => dateOf(t) > today)) fail(where, `is dated after today (${today})`);
    for (const key of u.projectAgreements ?? []) if (!projectAgreements.has(key)) fail(where, `names an unknown project agreement "${key}"`);
    u.values.forEach((v, j) => {
      const vWhere = `${where} values[${j}]`;
      const indicator = indicators.get(v.indicator) ?? fail(vWhere, `names an unknown indicator "${v.indicator}"`);
      const period = indicator.periods[v.period] ?? fail(vWhere, `names period ${v.period} of ${v.indicator}, which has ${indicator.periods.length}`);
      if (u.state === 'approved') {
        const actual = indicator.actuals.find((a) => a.period === v.period && a.side === side);
        if (!actual) fail(vWhere, `is approved but ${v.indicator} has no ${side} figure for period ${v.period}`);
        if (v.value !== undefined && v.value !== actual?.value) fail(vWhere, `gives ${v.value}, but the ${side} figure of ${v.indicator} period ${v.period} is ${actual?.value}`);
        if (u.decidedAt && dateOf(u.decidedAt) <= period.endsOn) fail(vWhere, `is approved on ${dateOf(u.decidedAt)}, before period ${v.period} ended`);
        const coverKey = `${v.indicator}:${v.period}:${side}`;
        if (covered.has(coverKey)) fail(vWhere, `carries the ${side} figure of ${v.indicator} period ${v.period}, which another approved update already carries`);
        covered.add(coverKey);
      } else if (v.value === undefined && !hasText(v.text)) {
        fail(vWhere, 'needs a value or a text');
      }
    });
  });

  // Figures no update carries are back-filled by the action's lead on that side.
  for (const indicator of data.indicators) {
    for (const a of indicator.actuals) {
      if (covered.has(`${indicator.key}:${a.period}:${a.side}`)) continue;
      const where = `indicators (${indicator.key}) actuals period ${a.period} ${a.side}`;
      if (!indicator.action) fail(where, 'is carried by no update, and the indicator names no action whose lead could report it');
      const action = actionAt(where, indicator.action as string).action;
      if (!(a.side === 'hong-kong' ? action.leadHongKong : action.leadZhejiang)) fail(where, `is carried by no update, and action ${indicator.action} has no ${a.side} lead to report it`);
    }
  }

  const createdBy = new Map<string, string>();
  data.meetings.forEach((m, i) => {
    const where = `meetings[${i}] (${m.heldOn} “${label(m.title)}”)`;
    text(where, m.title, 'title');
    for (const key of m.participants) organisation(where, key, 'participant');
    const numbers = new Set<number>();
    for (const d of m.decisions) {
      const dWhere = `${where} decision ${d.number}`;
      if (numbers.has(d.number)) fail(dWhere, 'repeats a decision number');
      numbers.add(d.number);
      text(dWhere, d.text, 'text');
      if (d.commitment) commitment(dWhere, d.commitment);
      for (const path of d.actions ?? []) {
        actionAt(dWhere, path);
        if (createdBy.has(path)) fail(dWhere, `names action ${path}, which another decision already created`);
        createdBy.set(path, `${i}:${d.number}`);
      }
    }
  });

  return { actions: flat, byPath, commitmentIds, sides: sides as Map<string, Side>, createdBy };
}
