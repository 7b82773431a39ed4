// The implementation benchmark's data set at the issue's scale, generated in the database with set-based
// SQL (insert … select … from generate_series): 42 commitments × 50 actions × 10 milestones, 2,000
// indicators × 40 quarterly periods with targets and both sides' actuals, 100,000 progress updates.
// Everything is marked illustrative. Deterministic: the same rows on PGlite and on PostgreSQL (dates
// relative to the day it runs).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/platform/db/schema.ts';

export const SCALE = {
  actionsPerCommitment: 50,
  milestonesPerAction: 10,
  indicators: 2_000,
  periodsPerIndicator: 40,
  updates: 100_000,
} as const;

/** Commitments of the agreement the data hangs on (the seed loads 42). */
const AGREEMENT_ID = 'zjhk-2023';

type Phrase = readonly [hant: string, hans: string, en: string];

/** One topic per area of cooperation (12 areas). */
const TOPICS: Phrase[] = [
  ['跨境貿易便利化', '跨境贸易便利化', 'Cross-boundary trade facilitation'],
  ['金融互聯互通', '金融互联互通', 'Financial connectivity'],
  ['科技創新合作', '科技创新合作', 'Innovation and technology cooperation'],
  ['專業服務', '专业服务', 'Professional services'],
  ['青年交流', '青年交流', 'Youth exchange'],
  ['文化旅遊', '文化旅游', 'Culture and tourism'],
  ['醫療衞生', '医疗卫生', 'Health care'],
  ['教育合作', '教育合作', 'Education cooperation'],
  ['綠色低碳發展', '绿色低碳发展', 'Green and low-carbon development'],
  ['法律及爭議解決', '法律及争议解决', 'Legal and dispute resolution services'],
  ['數字經濟', '数字经济', 'Digital economy'],
  ['航運物流', '航运物流', 'Shipping and logistics'],
];

const ACTIVITIES: Phrase[] = [
  ['設立聯合工作小組並制定年度計劃', '设立联合工作小组并制定年度计划', 'set up a joint working group and an annual work plan'],
  ['舉辦兩地企業對接會', '举办两地企业对接会', 'hold business matching sessions for enterprises of both places'],
  ['推出試點項目並評估成效', '推出试点项目并评估成效', 'launch a pilot scheme and evaluate its results'],
  ['建立資訊共享平台', '建立信息共享平台', 'build an information-sharing platform'],
  ['組織專題培訓及考察團', '组织专题培训及考察团', 'organise thematic training and study visits'],
  ['簽署合作備忘錄', '签署合作备忘录', 'sign a memorandum of cooperation'],
  ['推動標準及資格互認', '推动标准及资格互认', 'promote mutual recognition of standards and qualifications'],
  ['編製年度進展報告', '编制年度进展报告', 'compile an annual progress report'],
];

const MILESTONES: Phrase[] = [
  ['完成工作方案', '完成工作方案', 'Work plan completed'],
  ['召開首次聯席會議', '召开首次联席会议', 'First joint meeting held'],
  ['完成中期檢討', '完成中期检讨', 'Mid-term review completed'],
  ['發布實施指引', '发布实施指引', 'Implementation guidelines published'],
  ['完成試點', '完成试点', 'Pilot completed'],
  ['提交評估報告', '提交评估报告', 'Evaluation report submitted'],
  ['簽署執行協議', '签署执行协议', 'Implementing agreement signed'],
  ['舉辦推介活動', '举办推介活动', 'Promotion event held'],
  ['系統正式上線', '系统正式上线', 'System launched'],
  ['完成年度總結', '完成年度总结', 'Annual review completed'],
];

/** Indicator names with their units; 7 and 8 are percentages, 10 is qualitative, the rest numbers. */
const INDICATORS: { name: Phrase; unit: Phrase }[] = [
  { name: ['參與企業數目', '参与企业数目', 'Participating enterprises'], unit: ['家', '家', 'enterprises'] },
  { name: ['跨境交流人次', '跨境交流人次', 'Cross-boundary exchange visits'], unit: ['人次', '人次', 'visits'] },
  { name: ['合作項目數目', '合作项目数目', 'Cooperation projects'], unit: ['個', '个', 'projects'] },
  { name: ['培訓人數', '培训人数', 'People trained'], unit: ['人', '人', 'people'] },
  { name: ['簽約金額', '签约金额', 'Value of contracts signed'], unit: ['億元人民幣', '亿元人民币', 'CNY 100 million'] },
  { name: ['專利申請數目', '专利申请数目', 'Patent applications'], unit: ['件', '件', 'applications'] },
  { name: ['服務使用率', '服务使用率', 'Service take-up rate'], unit: ['%', '%', '%'] },
  { name: ['使用者滿意度', '使用者满意度', 'User satisfaction'], unit: ['%', '%', '%'] },
  { name: ['互認資格數目', '互认资格数目', 'Qualifications mutually recognised'], unit: ['項', '项', 'qualifications'] },
  { name: ['實施情況評估', '实施情况评估', 'Assessment of implementation'], unit: ['', '', ''] },
];

/** Progress narratives are put together from one sentence of A, two of B, one of C and one of D. */
const NARRATIVE_A: Phrase[] = [
  [
    '本季度兩地相關部門召開專題會議，就合作細節進行深入磋商，並確定下一階段工作重點。',
    '本季度两地相关部门召开专题会议，就合作细节进行深入磋商，并确定下一阶段工作重点。',
    'This quarter the departments of both places held a dedicated meeting, discussed the details of cooperation in depth and agreed the priorities of the next stage.',
  ],
  [
    '牽頭部門已完成項目方案的修訂，並徵詢業界及相關持份者的意見。',
    '牵头部门已完成项目方案的修订，并征询业界及相关持份者的意见。',
    'The lead department has revised the project plan and consulted the industry and other stakeholders.',
  ],
  [
    '兩地合共舉辦三場對接活動，吸引逾百家企業及機構參與。',
    '两地合共举办三场对接活动，吸引逾百家企业及机构参与。',
    'Three matching events were held in the two places, attracting more than a hundred enterprises and organisations.',
  ],
  [
    '試點計劃已進入第二階段，首批參與單位的運作情況大致符合預期。',
    '试点计划已进入第二阶段，首批参与单位的运作情况大致符合预期。',
    'The pilot has entered its second phase, and the first participating units are operating broadly as expected.',
  ],
  [
    '雙方簽署了補充協議，進一步明確分工、時間表及資源安排。',
    '双方签署了补充协议，进一步明确分工、时间表及资源安排。',
    'The two sides signed a supplementary agreement that sets out the division of work, the timetable and resources in more detail.',
  ],
  [
    '聯合工作小組完成實地考察，收集了前線人員對流程簡化的建議。',
    '联合工作小组完成实地考察，收集了一线人员对流程简化的建议。',
    "The joint working group completed site visits and collected front-line staff's suggestions for simpler procedures.",
  ],
];
const NARRATIVE_B: Phrase[] = [
  [
    '相關指標較上一季度有所上升，其中跨境業務量增長約一成。',
    '相关指标较上一季度有所上升，其中跨境业务量增长约一成。',
    'The related indicators rose from the previous quarter; cross-boundary business grew by about ten per cent.',
  ],
  [
    '參與機構普遍反映申請手續較以往便捷，平均處理時間縮短。',
    '参与机构普遍反映申请手续较以往便捷，平均处理时间缩短。',
    'Participating organisations generally report that applications are simpler than before, and the average processing time is shorter.',
  ],
  [
    '已有多個合作項目落地，部分項目預計於年內產生實際效益。',
    '已有多个合作项目落地，部分项目预计于年内产生实际效益。',
    'Several cooperation projects have started, and some are expected to deliver tangible benefits within the year.',
  ],
  [
    '培訓課程累計完成多期，學員對課程內容的滿意度維持在較高水平。',
    '培训课程累计完成多期，学员对课程内容的满意度维持在较高水平。',
    "Several rounds of training have been completed, and trainees' satisfaction with the content remains high.",
  ],
  ['資訊平台已上線試運行，首月錄得穩定的使用量。', '信息平台已上线试运行，首月录得稳定的使用量。', 'The information platform is in trial operation and recorded steady use in its first month.'],
  [
    '雙方就標準互認達成初步共識，相關文件正在草擬中。',
    '双方就标准互认达成初步共识，相关文件正在草拟中。',
    'The two sides reached a preliminary consensus on mutual recognition of standards, and the documents are being drafted.',
  ],
];
const NARRATIVE_C: Phrase[] = [
  [
    '部分環節仍受制於跨境數據流動的規定，需要進一步研究。',
    '部分环节仍受制于跨境数据流动的规定，需要进一步研究。',
    'Some steps are still constrained by the rules on cross-boundary data flows and need further study.',
  ],
  [
    '由於參與單位調整內部安排，個別工作進度較原定計劃稍為延後。',
    '由于参与单位调整内部安排，个别工作进度较原定计划稍为延后。',
    'Because participating units changed their internal arrangements, some work is slightly behind the original schedule.',
  ],
  [
    '目前未發現重大風險，牽頭部門會持續監察執行情況。',
    '目前未发现重大风险，牵头部门会持续监察执行情况。',
    'No significant risk has been identified so far; the lead department will keep monitoring implementation.',
  ],
  [
    '業界建議加強宣傳，讓更多中小企業了解相關措施。',
    '业界建议加强宣传，让更多中小企业了解相关措施。',
    'The industry suggests more publicity so that more small and medium enterprises learn about the measures.',
  ],
];
const NARRATIVE_D: Phrase[] = [
  ['下一步將擴大試點範圍，並於下季度提交評估報告。', '下一步将扩大试点范围，并于下季度提交评估报告。', 'Next, the pilot will be extended and an evaluation report submitted next quarter.'],
  ['雙方計劃於年底前召開聯席會議，檢視整體進展。', '双方计划于年底前召开联席会议，检视整体进展。', 'The two sides plan a joint meeting before the end of the year to review overall progress.'],
  [
    '牽頭部門將與合作方制定具體措施，爭取按時完成各項里程碑。',
    '牵头部门将与合作方制定具体措施，争取按时完成各项里程碑。',
    'The lead department will agree concrete measures with its partners to meet every milestone on time.',
  ],
  ['有關數據將於下一份進展報告中更新。', '有关数据将于下一份进展报告中更新。', 'The figures will be updated in the next progress report.'],
];

const ILLUSTRATIVE: Phrase = ['基準測試生成的示例數據，並非真實記錄。', '基准测试生成的示例数据，并非真实记录。', 'Illustrative data generated for the benchmark, not a real record.'];

// ---- SQL helpers ----

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
/** A text[] literal of one language of some phrases (SQL arrays are 1-based). */
const column = (phrases: readonly Phrase[], language: 0 | 1 | 2): string => `array[${phrases.map((p) => literal(p[language])).join(', ')}]::text[]`;
/** A deterministic pseudo-random integer in [0, n) from an integer expression and a salt. */
const h = (expr: string, salt: number, n: number): string => `((hashint4(((${expr})::int) * 97 + ${salt}) & 2147483647) % ${n})`;
/** Pick phrase `index` (1-based SQL expression) in the three languages, as a jsonb object. */
const localized = (phrases: readonly Phrase[], index: string, suffix: readonly [string, string, string] = ["''", "''", "''"]): string =>
  `jsonb_build_object('zh-Hant', (${column(phrases, 0)})[${index}] || ${suffix[0]}, 'zh-Hans', (${column(phrases, 1)})[${index}] || ${suffix[1]}, 'en', (${column(phrases, 2)})[${index}] || ${suffix[2]})`;
const ILLUSTRATIVE_JSON = `jsonb_build_object('zh-Hant', ${literal(ILLUSTRATIVE[0])}, 'zh-Hans', ${literal(ILLUSTRATIVE[1])}, 'en', ${literal(ILLUSTRATIVE[2])})`;

const PER_COMMITMENT = SCALE.actionsPerCommitment;

/** The commitments in order, numbered 1…42 (idx), and the organisations that may lead or partner. */
const COMMITMENTS = `c as (select id, area_number, number, row_number() over (order by area_number, number)::int as idx from commitments where agreement_id = ${literal(AGREEMENT_ID)})`;
const ORGANISATIONS = `o as (
  select array_agg(id order by id) filter (where side = 'hong-kong' and type in ('government-agency', 'statutory-body')) as hk,
         array_agg(id order by id) filter (where side = 'zhejiang' and type = 'government-agency') as zj,
         array_agg(id order by id) filter (where side in ('hong-kong', 'zhejiang') and type not in ('government-agency', 'custodian')) as partners
  from organisations)`;
/**
 * The action (k, 1…50 in its commitment) an indicator is measured under, or anchored to for the updates
 * that carry its figures. The first three indicators of every commitment go to the parent actions
 * k = 1, 11 and 21 (so an action page has sub-actions and indicators); the rest spread over the actions
 * that have leads on both sides.
 */
const anchorK = (i: string, commitments: string): string => {
  const r = h(i, 25, PER_COMMITMENT);
  return `(case when (${i} - 1) / ${commitments} < 3 then 1 + 10 * ((${i} - 1) / ${commitments}) when (1 + ${r}) % 10 in (3, 7) then 2 + ${r} else 1 + ${r} end)`;
};
const anchorAction = (i: string, commitments: string): string => `(((${i} - 1) % ${commitments}) * ${PER_COMMITMENT} + ${anchorK(i, commitments)})`;

interface Step {
  label: string;
  sql: string;
}

/**
 * The statements, in order. Action ids are (commitment index − 1) × 50 + k; in every commitment
 * actions k ≡ 0 (mod 10) are children of action k − 9; k ≡ 3 has no Zhejiang lead and k ≡ 7 no Hong
 * Kong lead. Update u belongs to action 1 + (u − 1) mod 2,100, round j = (u − 1) div 2,100 (about
 * 25 days apart, from July 2023); rounds 45 and later are still in the workflow, the rest approved.
 */
function scaleSteps(): Step[] {
  const actionCount = '(select count(*)::int from actions)';
  return [
    {
      label: 'actions',
      sql: `
with ${COMMITMENTS}, ${ORGANISATIONS},
g as (
  select c.id as commitment_id, c.area_number, c.number, c.idx, k, (c.idx - 1) * ${PER_COMMITMENT} + k as id,
         date '2023-07-01' + ${h('(c.idx - 1) * 50 + k', 1, 1460)} as starts_on,
         365 + ${h('(c.idx - 1) * 50 + k', 2, 1100)} as days
  from c cross join generate_series(1, ${PER_COMMITMENT}) as k),
s as (
  select g.*, g.starts_on + g.days as ends_on, ${h('g.id', 3, 100)} as r,
    case
      when g.starts_on > current_date then 'planned'
      when g.starts_on + g.days < current_date then
        case when ${h('g.id', 3, 100)} < 80 then 'completed' when ${h('g.id', 3, 100)} < 85 then 'discontinued' else 'delayed' end
      else case when ${h('g.id', 3, 100)} < 65 then 'in-progress' when ${h('g.id', 3, 100)} < 77 then 'at-risk'
                when ${h('g.id', 3, 100)} < 90 then 'delayed' when ${h('g.id', 3, 100)} < 95 then 'planned' else 'discontinued' end
    end as status
  from g)
insert into actions (id, commitment_id, parent_id, title, description, lead_hong_kong, lead_zhejiang, starts_on, ends_on, status, status_reason, illustrative)
overriding system value
select s.id, s.commitment_id,
  case when s.k % 10 = 0 then s.id - 9 end,
  ${localized(TOPICS, '1 + (s.area_number - 1) % 12', [
    `'：' || (${column(ACTIVITIES, 0)})[1 + ${h('s.id', 4, ACTIVITIES.length)}] || '（第' || s.k || '項）'`,
    `'：' || (${column(ACTIVITIES, 1)})[1 + ${h('s.id', 4, ACTIVITIES.length)}] || '（第' || s.k || '项）'`,
    `': ' || (${column(ACTIVITIES, 2)})[1 + ${h('s.id', 4, ACTIVITIES.length)}] || ' (item ' || s.area_number || '-' || s.number || '.' || s.k || ')'`,
  ])},
  ${localized(NARRATIVE_A, `1 + ${h('s.id', 5, NARRATIVE_A.length)}`, [literal(ILLUSTRATIVE[0]), literal(ILLUSTRATIVE[1]), `' ' || ${literal(ILLUSTRATIVE[2])}`])},
  case when s.k % 10 = 7 then null else o.hk[1 + ${h('s.id', 6, 1000)} % array_length(o.hk, 1)] end,
  case when s.k % 10 = 3 then null else o.zj[1 + ${h('s.id', 7, 1000)} % array_length(o.zj, 1)] end,
  s.starts_on, s.ends_on, s.status,
  case when s.status = 'discontinued' then 'Illustrative: merged into another action of the same commitment' end,
  true
from s cross join o
order by s.id`,
    },
    {
      label: 'action partners',
      sql: `
with ${ORGANISATIONS}
insert into action_partners (action_id, organisation_id)
select a.id, o.partners[1 + ${h('a.id', 8, 1000)} % array_length(o.partners, 1)]
from actions a cross join o
where a.id % 3 = 0`,
    },
    {
      label: 'milestones',
      sql: `
with m as (
  select a.id as action_id, n, a.starts_on + ((a.ends_on - a.starts_on) * n / ${SCALE.milestonesPerAction}) as due_on, ${h('a.id * 10 + n', 9, 100)} as r
  from actions a cross join generate_series(1, ${SCALE.milestonesPerAction}) as n),
s as (
  select m.*, case
    when m.due_on < current_date then case when m.r < 72 then 'met' when m.r < 80 then 'partially-met' when m.r < 88 then 'not-met' else 'scheduled' end
    else case when m.r < 6 then 'met' else 'scheduled' end
  end as status
  from m)
insert into milestones (action_id, title, due_on, status, met_on, evidence, illustrative)
select s.action_id,
  ${localized(MILESTONES, `1 + (s.n - 1) % ${MILESTONES.length}`)},
  s.due_on, s.status,
  case
    when s.status = 'met' and s.due_on < current_date then s.due_on - s.r % 10
    when s.status = 'met' then current_date - 1 - s.r % 20
    when s.status = 'partially-met' then least(s.due_on + 5, current_date)
  end,
  case when s.status in ('met', 'partially-met') then ${ILLUSTRATIVE_JSON} else '{}'::jsonb end,
  true
from s
order by s.action_id, s.n`,
    },
    {
      label: 'indicators',
      sql: `
with ${COMMITMENTS},
g as (
  select i, c.id as commitment_id, c.area_number, c.number, c.idx, 1 + (i - 1) / (select count(*) from c) as n
  from generate_series(1, ${SCALE.indicators}) as i join c on c.idx = 1 + (i - 1) % (select count(*) from c)),
s as (select g.*, 1 + (g.n - 1) % ${INDICATORS.length} as kind from g)
insert into indicators (id, commitment_id, action_id, name, description, unit, measure, direction, scope, baseline_value, baseline_text, baseline_on, source, illustrative)
overriding system value
select s.i, s.commitment_id,
  case when s.n <= 3 or ${h('s.i', 10, 10)} < 6 then (s.idx - 1) * ${PER_COMMITMENT} + ${anchorK('s.i', '(select count(*)::int from c)')} end,
  ${localized(
    INDICATORS.map((x) => x.name),
    's.kind',
    [
      `'（' || s.area_number || '-' || s.number || '，第' || s.n || '項）'`,
      `'（' || s.area_number || '-' || s.number || '，第' || s.n || '项）'`,
      `' (' || s.area_number || '-' || s.number || ' no. ' || s.n || ')'`,
    ],
  )},
  ${ILLUSTRATIVE_JSON},
  ${localized(
    INDICATORS.map((x) => x.unit),
    's.kind',
  )},
  case when s.kind in (7, 8) then 'percentage' when s.kind = 10 then 'qualitative' else 'number' end,
  case when ${h('s.i', 11, 20)} < 17 then 'increase' when ${h('s.i', 11, 20)} < 19 then 'maintain' else 'decrease' end,
  case when ${h('s.i', 12, 2)} = 0 then 'joint' else 'per-side' end,
  case when s.kind in (7, 8) then 40 + ${h('s.i', 13, 30)} when s.kind = 10 then null else 100 + ${h('s.i', 13, 900)} end,
  case when s.kind = 10 then jsonb_build_object('zh-Hant', '尚未開展', 'zh-Hans', '尚未开展', 'en', 'Not started') end,
  date '2016-12-31',
  ${ILLUSTRATIVE_JSON},
  true
from s
order by s.i`,
    },
    {
      label: 'indicator periods',
      sql: `
insert into indicator_periods (id, indicator_id, starts_on, ends_on, target_value, target_text)
overriding system value
select (i.id - 1) * ${SCALE.periodsPerIndicator} + q, i.id,
  (date '2017-01-01' + make_interval(months => (q - 1) * 3))::date,
  (date '2017-01-01' + make_interval(months => q * 3) - interval '1 day')::date,
  case i.measure when 'number' then round(i.baseline_value * (1 + 0.025 * q)) when 'percentage' then least(95, round(i.baseline_value + q * 0.8)) end,
  case when i.measure = 'qualitative' then jsonb_build_object('zh-Hant', '完成階段性目標', 'zh-Hans', '完成阶段性目标', 'en', 'Stage objectives met') end
from indicators i cross join generate_series(1, ${SCALE.periodsPerIndicator}) as q
order by 1`,
    },
    {
      label: 'progress updates',
      sql: `
with g as (
  select u, 1 + (u - 1) % ${actionCount} as action_id, (u - 1) / ${actionCount} as j
  from generate_series(1, ${SCALE.updates}) as u),
s as (
  select g.u, g.j, a.id as action_id, a.commitment_id,
    case when a.lead_hong_kong is null then 'zhejiang' when a.lead_zhejiang is null then 'hong-kong' when g.j % 2 = 0 then 'hong-kong' else 'zhejiang' end as side,
    a.lead_hong_kong, a.lead_zhejiang,
    timestamptz '2023-07-03 09:00:00+08' + make_interval(days => g.j * 25 + ${h('g.u', 14, 24)}, mins => ${h('g.u', 15, 480)}) as created_at,
    case when g.j < 45 then 'approved' when ${h('g.u', 16, 10)} < 5 then 'submitted' when ${h('g.u', 16, 10)} < 8 then 'draft' else 'returned' end as state
  from g join actions a on a.id = g.action_id),
t as (select s.*, s.created_at + make_interval(days => 1 + ${h('s.u', 17, 9)}, hours => ${h('s.u', 18, 8)}) as decided_at from s)
insert into progress_updates (id, reference, action_id, commitment_id, organisation_id, side, narrative, state, return_reason, submitted_at, decided_at, approved_at, illustrative, created_at, updated_at)
overriding system value
select t.u,
  'ZJHK-U-' || to_char(t.created_at at time zone 'Asia/Hong_Kong', 'YYYY') || '-' || lpad(t.u::text, 6, '0'),
  t.action_id, t.commitment_id,
  case when t.side = 'hong-kong' then t.lead_hong_kong else t.lead_zhejiang end,
  t.side,
  case when t.side = 'hong-kong' then jsonb_build_object(
      'zh-Hant', ${narrative('t.u', 0, '')},
      'en', ${narrative('t.u', 2, ' ')})
    else jsonb_build_object('zh-Hans', ${narrative('t.u', 1, '')}) end,
  t.state,
  case when t.state = 'returned' then 'Illustrative: please add the figures for the quarter' end,
  case when t.state <> 'draft' then t.created_at + interval '2 hours' end,
  case when t.state in ('approved', 'returned') then t.decided_at end,
  case when t.state = 'approved' then t.decided_at end,
  true, t.created_at,
  case when t.state in ('approved', 'returned') then t.decided_at else t.created_at + interval '2 hours' end
from t
order by t.u`,
    },
    {
      label: 'indicator actuals',
      sql: `
with ${COMMITMENTS},
p as (
  select p.id as period_id, p.target_value, i.id as indicator_id, i.measure, i.scope, (p.id - 1) % ${SCALE.periodsPerIndicator} + 1 as q,
    ${anchorAction('i.id', '(select count(*)::int from c)')} as anchor
  from indicator_periods p join indicators i on i.id = p.indicator_id
  where p.ends_on < current_date),
s as (
  select p.*, sd.side, sd.sn, p.target_value * (0.8 + ${h('p.period_id', 19, 35)} / 100.0) as v,
    p.anchor + (select count(*)::int from actions) * (2 * ((p.q - 1) % 22) + sd.sn) as update_id
  from p cross join (values ('hong-kong', 0), ('zhejiang', 1)) as sd(side, sn)
  where ${h('p.period_id * 2 + sd.sn', 20, 100)} >= 4)
insert into indicator_actuals (period_id, side, value, text, update_id, recorded_at, confirmed_by, confirmed_at)
select s.period_id, s.side,
  case
    when s.measure = 'qualitative' then null
    when s.scope = 'per-side' then least(case when s.measure = 'percentage' then 100 end, round(s.v * case s.sn when 0 then 0.45 else 0.55 end))
    when s.sn = 1 and ${h('s.period_id', 21, 100)} < 8 then least(case when s.measure = 'percentage' then 100 end, round(s.v) + 1 + ${h('s.period_id', 22, 5)})
    else least(case when s.measure = 'percentage' then 100 end, round(s.v))
  end,
  case when s.measure = 'qualitative' then
    case when ${h('s.period_id * 2 + s.sn', 23, 10)} < 7 then jsonb_build_object('zh-Hant', '按計劃推進', 'zh-Hans', '按计划推进', 'en', 'On track')
         else jsonb_build_object('zh-Hant', '進度稍遲', 'zh-Hans', '进度稍迟', 'en', 'Slightly behind') end
  end,
  u.id, u.approved_at, null,
  case when s.scope = 'joint' and ${h('s.period_id', 24, 100)} < 80 then u.approved_at + interval '3 days' end
from s join progress_updates u on u.id = s.update_id
order by s.period_id, s.side`,
    },
    {
      label: 'update indicator values',
      sql: `
insert into update_indicator_values (update_id, period_id, value, text)
select update_id, period_id, value, text from indicator_actuals order by update_id, period_id`,
    },
    {
      label: 'identity sequences',
      sql: `
select setval(pg_get_serial_sequence('actions', 'id'), (select max(id) from actions)),
       setval(pg_get_serial_sequence('indicators', 'id'), (select max(id) from indicators)),
       setval(pg_get_serial_sequence('indicator_periods', 'id'), (select max(id) from indicator_periods)),
       setval(pg_get_serial_sequence('progress_updates', 'id'), (select max(id) from progress_updates))`,
    },
  ];
}

/** A narrative in one language: A, B, the next B, C and D, joined by `gap`. */
function narrative(u: string, language: 0 | 1 | 2, gap: string): string {
  const b = `(1 + ${h(u, 31, NARRATIVE_B.length)})`;
  const parts = [
    `(${column(NARRATIVE_A, language)})[1 + ${h(u, 30, NARRATIVE_A.length)}]`,
    `(${column(NARRATIVE_B, language)})[${b}]`,
    `(${column(NARRATIVE_B, language)})[1 + ${b} % ${NARRATIVE_B.length}]`,
    `(${column(NARRATIVE_C, language)})[1 + ${h(u, 32, NARRATIVE_C.length)}]`,
    `(${column(NARRATIVE_D, language)})[1 + ${h(u, 33, NARRATIVE_D.length)}]`,
  ];
  return parts.join(` || ${literal(gap)} || `);
}

export interface LoadTiming {
  label: string;
  rows: number;
  ms: number;
}

/** Runs the steps in one transaction, then ANALYZE; returns each step's time and rows. */
export async function loadScaleData(db: Kysely<Database>, log: (line: string) => void): Promise<LoadTiming[]> {
  const timings: LoadTiming[] = [];
  await db.transaction().execute(async (trx) => {
    for (const step of scaleSteps()) {
      const started = performance.now();
      const result = await sql.raw(step.sql).execute(trx);
      const ms = performance.now() - started;
      const rows = Number(result.numAffectedRows ?? result.rows.length);
      timings.push({ label: step.label, rows, ms });
      log(`    ${step.label.padEnd(24)} ${String(rows).padStart(7)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
    }
  });
  const started = performance.now();
  await sql`analyze`.execute(db);
  const ms = performance.now() - started;
  timings.push({ label: 'analyze', rows: 0, ms });
  log(`    ${'analyze'.padEnd(24)} ${''.padStart(7)}       ${(ms / 1000).toFixed(1).padStart(6)} s`);
  return timings;
}

export interface Targets {
  /** The commitment the benchmark reads (3-1) and an action of it with a sub-action and indicators. */
  commitmentCode: string;
  actionId: number;
  counts: Record<string, number>;
}

export async function describeData(db: Kysely<Database>, commitmentCode = '3-1'): Promise<Targets> {
  const [area, number] = commitmentCode.split('-').map(Number) as [number, number];
  const action = await sql<{ id: number }>`
    select a.id from actions a join commitments c on c.id = a.commitment_id
    where c.agreement_id = ${AGREEMENT_ID} and c.area_number = ${area} and c.number = ${number} and a.parent_id is null
      and exists (select 1 from actions x where x.parent_id = a.id)
      and exists (select 1 from indicators i where i.action_id = a.id)
    order by a.id limit 1`.execute(db);
  const id = action.rows[0]?.id;
  if (id === undefined) throw new Error(`no action of commitment ${commitmentCode} with sub-actions and indicators`);
  const counts: Record<string, number> = {};
  for (const table of ['actions', 'action_partners', 'milestones', 'indicators', 'indicator_periods', 'indicator_actuals', 'progress_updates', 'update_indicator_values'] as const) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    counts[table] = row.rows[0]?.n ?? 0;
  }
  const approved = await sql<{ n: number }>`select count(*)::int as n from progress_updates where state = 'approved'`.execute(db);
  counts['progress_updates (approved)'] = approved.rows[0]?.n ?? 0;
  const commitmentIndicators = await sql<{ n: number }>`
    select count(*)::int as n from indicators i join commitments c on c.id = i.commitment_id
    where c.agreement_id = ${AGREEMENT_ID} and c.area_number = ${area} and c.number = ${number}`.execute(db);
  counts[`indicators of ${commitmentCode}`] = commitmentIndicators.rows[0]?.n ?? 0;
  return { commitmentCode, actionId: id, counts };
}
