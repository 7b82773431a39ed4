// The events benchmark's data set at the issue's scale, generated in the database with set-based SQL
// (insert … select … from generate_series), in a few statements: 50,000 residents, 10,000 events over
// 2024–2028 (70 % one-off, 30 % monthly or quarterly series of 3–12 dates; 95 % published) with their
// organisers and commitments, about 29,000 occurrences (3 % cancelled, 1 % changed on their own) and
// exactly 500,000 registrations, skewed towards popular occurrences. Everything is illustrative.
// Deterministic: the same rows on PGlite and on PostgreSQL (the states of registrations, past or
// upcoming, and their dates follow the moment it runs).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/platform/db/schema.ts';
import type { EventType } from '../../src/modules/events/index.ts';
import { eventCities } from '../../src/modules/events/cities.ts';

export const SCALE = {
  users: 50_000,
  events: 10_000,
  registrations: 500_000,
} as const;

/** Commitments of the agreement the events are linked to (the seed loads 42 of them, in 12 areas). */
const AGREEMENT_ID = 'zjhk-2023';
/** The events start between 2024-01 and 2028-12: this many months from FIRST_MONTH. */
const FIRST_MONTH = '2024-01-01';
const MONTHS = 60;
/** The characters of a check-in code (src/modules/events: [A-Z2-9] without I, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

type Phrase = readonly [hant: string, hans: string, en: string];
type Language = 0 | 1 | 2;

/** A title pattern: {n} a number, {city} the city, {year} the year, {topic} the area's topic. */
const TITLES: Record<EventType, Phrase[]> = {
  promotion: [
    ['浙港投資推介會（{city}站）', '浙港投资推介会（{city}站）', 'Zhejiang–Hong Kong Investment Promotion ({city})'],
    ['「香港優勢」企業推介會（第{n}場）', '“香港优势”企业推介会（第{n}场）', '“Hong Kong Advantage” Business Promotion (session {n})'],
    ['浙江企業「走出去」香港平台推介會', '浙江企业“走出去”香港平台推介会', 'Hong Kong as the Platform for Zhejiang Enterprises Going Global ({year})'],
  ],
  symposium: [
    ['港資企業座談會（第{n}期）', '港资企业座谈会（第{n}期）', 'Symposium for Hong Kong-invested Enterprises (no. {n})'],
    ['在浙港人營商環境座談會（{city}）', '在浙港人营商环境座谈会（{city}）', 'Symposium on the Business Environment for Hong Kong People in Zhejiang ({city})'],
    ['浙港{topic}合作座談會', '浙港{topic}合作座谈会', 'Symposium on Zhejiang–Hong Kong {topic} Cooperation'],
  ],
  forum: [
    ['{year}浙港{topic}論壇', '{year}浙港{topic}论坛', 'Zhejiang–Hong Kong {topic} Forum {year}'],
    ['亞洲知識產權營商論壇浙江專場（{year}）', '亚洲知识产权营商论坛浙江专场（{year}）', 'Business of IP Asia Forum: Zhejiang Session {year}'],
  ],
  exhibition: [
    ['浙江品牌產品香港展銷會（{year}）', '浙江品牌产品香港展销会（{year}）', 'Zhejiang Brands Expo in Hong Kong {year}'],
    ['浙港{topic}合作成果展（{city}）', '浙港{topic}合作成果展（{city}）', 'Zhejiang–Hong Kong {topic} Cooperation Showcase ({city})'],
  ],
  'study-tour': [
    ['香港青年浙江考察團（第{n}團）', '香港青年浙江考察团（第{n}团）', 'Hong Kong Youth Study Tour to Zhejiang (group {n})'],
    ['香港專業人士{city}考察交流團', '香港专业人士{city}考察交流团', 'Study Visit to {city} for Hong Kong Professionals'],
  ],
  training: [
    ['內地營商法規實務培訓班（第{n}期）', '内地营商法规实务培训班（第{n}期）', 'Training on Mainland Business Regulations (class {n})'],
    ['香港法律服務專題講座（第{n}講）', '香港法律服务专题讲座（第{n}讲）', 'Talk on Hong Kong Legal Services (no. {n})'],
    ['跨境{topic}業務培訓（{city}）', '跨境{topic}业务培训（{city}）', 'Training on Cross-boundary {topic} ({city})'],
  ],
  other: [
    ['浙港青年交流日（{city}）', '浙港青年交流日（{city}）', 'Zhejiang–Hong Kong Youth Exchange Day ({city})'],
    ['浙港合作開放日（{year}）', '浙港合作开放日（{year}）', 'Zhejiang–Hong Kong Cooperation Open Day {year}'],
  ],
};

/** The topic of each of the agreement's twelve areas, for titles. */
const TOPICS: Phrase[] = [
  ['金融', '金融', 'Finance'],
  ['科技創新', '科技创新', 'Innovation and Technology'],
  ['經貿投資', '经贸投资', 'Trade and Investment'],
  ['航空', '航空', 'Aviation'],
  ['教育', '教育', 'Education'],
  ['青年發展', '青年发展', 'Youth Development'],
  ['文化旅遊', '文化旅游', 'Culture and Tourism'],
  ['人才交流', '人才交流', 'Talent Exchange'],
  ['醫療衞生', '医疗卫生', 'Health Care'],
  ['環境保護', '环境保护', 'Environmental Protection'],
  ['營商便利', '营商便利', 'Business Facilitation'],
  ['法律服務', '法律服务', 'Legal Services'],
];

const DESCRIPTIONS: Record<EventType, Phrase> = {
  promotion: [
    '介紹香港作為國際金融、貿易及專業服務中心的優勢，並安排兩地企業一對一洽談。',
    '介绍香港作为国际金融、贸易及专业服务中心的优势，并安排两地企业一对一洽谈。',
    'Presents Hong Kong’s strengths as an international centre for finance, trade and professional services, with one-to-one meetings between enterprises of both places.',
  ],
  symposium: [
    '港資企業與政府部門直接交流，反映經營中遇到的問題，並就營商環境提出意見。',
    '港资企业与政府部门直接交流，反映经营中遇到的问题，并就营商环境提出意见。',
    'Hong Kong-invested enterprises meet government departments, raise the problems they meet and make suggestions on the business environment.',
  ],
  forum: [
    '兩地官員、學者及業界代表就合作機遇發表演講並進行專題討論。',
    '两地官员、学者及业界代表就合作机遇发表演讲并进行专题讨论。',
    'Officials, academics and industry representatives of both places speak on opportunities for cooperation and join panel discussions.',
  ],
  exhibition: [
    '展出兩地合作項目及品牌產品，設商貿配對及推介環節。',
    '展出两地合作项目及品牌产品，设商贸配对及推介环节。',
    'Shows cooperation projects and branded products of both places, with business matching and presentations.',
  ],
  'study-tour': [
    '參觀企業、園區及院校，與當地青年及業界交流。',
    '参观企业、园区及院校，与当地青年及业界交流。',
    'Visits to enterprises, industrial parks and universities, and exchanges with local young people and industry.',
  ],
  training: [
    '由執業律師及專業人士講解相關法規及實務要點，設答問環節。',
    '由执业律师及专业人士讲解相关法规及实务要点，设答问环节。',
    'Practising lawyers and professionals explain the rules and practical points, followed by questions and answers.',
  ],
  other: ['兩地交流活動，包括分享會、參觀及聯誼環節。', '两地交流活动，包括分享会、参观及联谊环节。', 'An exchange between the two places, with talks, visits and time to meet.'],
};

const ILLUSTRATIVE: Phrase = ['（基準測試生成的示例數據，並非真實活動。）', '（基准测试生成的示例数据，并非真实活动。）', '(Illustrative data generated for the benchmark, not a real event.)'];

/** Venues in Zhejiang cities ({city} is the city), in Hong Kong, and elsewhere. */
const CITY_VENUES: Phrase[] = [
  ['{city}國際會議中心', '{city}国际会议中心', '{city} International Conference Centre'],
  ['{city}市商務局多功能廳', '{city}市商务局多功能厅', 'Multi-purpose Hall, {city} Commerce Bureau'],
  ['{city}國際博覽中心', '{city}国际博览中心', '{city} International Expo Centre'],
];
const HONG_KONG_VENUES: Phrase[] = [
  ['香港會議展覽中心', '香港会议展览中心', 'Hong Kong Convention and Exhibition Centre'],
  ['香港科學園會議廳', '香港科学园会议厅', 'Conference Hall, Hong Kong Science Park'],
  ['亞洲國際博覽館', '亚洲国际博览馆', 'AsiaWorld-Expo'],
];
const ELSEWHERE_VENUES: Phrase[] = [['上海展覽中心', '上海展览中心', 'Shanghai Exhibition Centre']];

/** The note of an occurrence an organiser moved on its own. */
const MOVED_NOTE: Phrase = ['本場改於杭州國際博覽中心舉行。', '本场改在杭州国际博览中心举行。', 'This session moves to the Hangzhou International Expo Centre.'];
const MOVED_VENUE: Phrase = ['杭州國際博覽中心', '杭州国际博览中心', 'Hangzhou International Expo Centre'];

/** Why occurrences were cancelled (plain text, as organisers write it). */
const CANCEL_REASONS = [
  '因颱風警告取消。Cancelled because of a typhoon warning.',
  '因主講嘉賓行程有變，本場取消。Cancelled: the main speaker can no longer attend.',
  '因報名人數不足取消。Cancelled for lack of registrations.',
  '場地維修，本場取消，敬請留意下一場。Cancelled for repairs to the venue; please join the next session.',
];
const REJECT_REASONS = [
  '本場名額只限在浙港資企業代表。Places at this session are for representatives of Hong Kong-invested enterprises in Zhejiang.',
  '未能核實所屬機構資料。We could not verify your organisation.',
  '同一機構已有兩位代表報名。Two people of your organisation have already registered.',
];

/**
 * Cities, weighted: Hangzhou and Hong Kong host most events. Online events (8 %) are chosen apart.
 * Every key is checked against data/events/cities.json.
 */
const CITY_WEIGHTS: [string, number][] = [
  ['hangzhou', 9],
  ['hong-kong', 6],
  ['ningbo', 4],
  ['wenzhou', 2],
  ['shaoxing', 2],
  ['jinhua', 2],
  ['jiaxing', 1],
  ['huzhou', 1],
  ['quzhou', 1],
  ['zhoushan', 1],
  ['taizhou', 1],
  ['lishui', 1],
  ['elsewhere', 1],
];

/** Per type: the share of events (percent), duration (minutes), start time, capacity range and a chance of approval. */
const TYPES: Record<EventType, { share: number; minutes: string; start: string; capacity: [number, number]; approval: number }> = {
  promotion: { share: 22, minutes: '120 + 30 * #(3)', start: '14:00', capacity: [60, 200], approval: 10 },
  symposium: { share: 20, minutes: '150', start: '14:30', capacity: [30, 80], approval: 25 },
  forum: { share: 14, minutes: '240 + 60 * #(5)', start: '09:30', capacity: [120, 400], approval: 5 },
  exhibition: { share: 8, minutes: '3360', start: '10:00', capacity: [200, 600], approval: 0 },
  'study-tour': { share: 10, minutes: '4920', start: '08:30', capacity: [20, 40], approval: 60 },
  training: { share: 18, minutes: '180', start: '09:30', capacity: [25, 60], approval: 10 },
  other: { share: 8, minutes: '180', start: '15:00', capacity: [40, 120], approval: 0 },
};
const TYPE_KEYS = Object.keys(TYPES) as EventType[];

// ---- SQL helpers ----

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
const textArray = (values: readonly string[]): string => `array[${values.map(literal).join(', ')}]::text[]`;
/** A deterministic pseudo-random integer in [0, n) from an integer expression and a salt. */
const h = (expr: string, salt: number, n: number | string): string => `((hashint4(((${expr})::int) * 97 + ${salt}) & 2147483647) % (${n}))`;
const json = (p: Phrase): string => `jsonb_build_object('zh-Hant', ${literal(p[0])}, 'zh-Hans', ${literal(p[1])}, 'en', ${literal(p[2])})`;
const LOCALES = ['zh-Hant', 'zh-Hans', 'en'] as const;

/** A phrase with placeholders as an SQL text expression in one language. */
function phraseSql(text: string, values: Record<string, string>): string {
  const parts = text.split(/(\{[a-z]+\})/).filter((part) => part !== '');
  return parts
    .map((part) => {
      const name = /^\{([a-z]+)\}$/.exec(part)?.[1];
      if (name === undefined) return literal(part);
      const value = values[name];
      if (value === undefined) throw new Error(`no value for {${name}} in "${text}"`);
      return `(${value})`;
    })
    .join(' || ');
}

/** A phrase with placeholders as a jsonb object in the three languages; `values` gives each placeholder per language. */
function localizedSql(p: Phrase, values: (language: Language) => Record<string, string>): string {
  return `jsonb_build_object(${([0, 1, 2] as const).map((l) => `${literal(LOCALES[l])}, ${phraseSql(p[l], values(l))}`).join(', ')})`;
}

/** The user with number u: bench-user-00001 … */
const userId = (u: string): string => `'bench-user-' || lpad((${u})::text, 5, '0')`;
/** A user's language: 45 % Simplified, 35 % Traditional, 20 % English. */
const userLocale = (u: string): string => `case when ${h(u, 60, 100)} < 45 then 'zh-Hans' when ${h(u, 60, 100)} < 80 then 'zh-Hant' else 'en' end`;

/**
 * 40 bits from registration `id`: a bijection of [0, 2^40) (multiply by an odd constant, xor-shift,
 * multiply, xor-shift, all mod 2^40), so distinct ids always give distinct bits that look random.
 */
function codeBits(id: string): string {
  const mask = '1099511627775';
  const x1 = `(((${id})::bigint * 2654435761) & ${mask})`;
  const x2 = `(${x1} # (${x1} >> 19))`;
  const x3 = `((${x2} * 6102461) & ${mask})`;
  return `(${x3} # (${x3} >> 21))`;
}

/** A check-in code from 40 bits: eight characters of CODE_ALPHABET, 5 bits each. */
const checkInCode = (bits: string): string => [35, 30, 25, 20, 15, 10, 5, 0].map((shift) => `substr(${literal(CODE_ALPHABET)}, ((${bits} >> ${shift}) & 31)::int + 1, 1)`).join(' || ');

interface Step {
  label: string;
  sql: string;
}

/**
 * The statements, in order. Event ids are 1…10,000 (the database holds no events before), occurrence
 * ids follow (event, date), registration ids run 1…500,000 in (occurrence, rank) order.
 */
function eventSteps(): Step[] {
  const cities = eventCities().map((c) => c.key);
  for (const [key] of CITY_WEIGHTS) if (!cities.includes(key)) throw new Error(`city ${key} is not in data/events/cities.json`);
  if (!cities.includes('online')) throw new Error('data/events/cities.json has no "online" city');
  const cityNames = (l: Language): string =>
    `array[${eventCities()
      .map((c) => literal(c.name[LOCALES[l]] ?? c.key))
      .join(', ')}]::text[]`;
  const weighted = CITY_WEIGHTS.flatMap(([key, weight]) => Array<string>(weight).fill(key));
  const topic = (l: Language): string => `(${textArray(TOPICS.map((t) => t[l]))})[1 + (t.area - 1) % ${TOPICS.length}]`;
  const cityName = (l: Language, key: string): string => `(${cityNames(l)})[array_position(${textArray(cities)}, ${key})]`;

  // Type by share, a series (30 %) being a symposium, a training or a promotion.
  let cumulative = 0;
  const typeCase = `case ${TYPE_KEYS.map((type) => {
    cumulative += TYPES[type].share;
    return `when ${h('i', 7, 100)} < ${cumulative} then ${literal(type)}`;
  }).join(' ')} end`;
  const seriesType = `case when ${h('i', 8, 100)} < 50 then 'symposium' when ${h('i', 8, 100)} < 85 then 'training' else 'promotion' end`;
  const perType = (pick: (type: EventType) => string): string => `case t.type ${TYPE_KEYS.map((type) => `when ${literal(type)} then ${pick(type)}`).join(' ')} end`;
  const titleValues = (l: Language): Record<string, string> => ({ n: 't.n::text', year: 't.year::text', city: cityName(l, 't.city'), topic: topic(l) });
  const titleCase = `case ${TYPE_KEYS.flatMap((type) =>
    TITLES[type].map((pattern, k) => `when t.type = ${literal(type)} and t.pattern % ${TITLES[type].length} = ${k} then ${localizedSql(pattern, titleValues)}`),
  ).join(' ')} end`;
  const description = (l: Language): string => `${perType((type) => literal(DESCRIPTIONS[type][l]))} || ${literal(l === 2 ? ' ' : '')} || ${literal(ILLUSTRATIVE[l])}`;
  const venueCase = `case
    when t.city = 'online' then '{}'::jsonb
    when t.city = 'hong-kong' then (array[${HONG_KONG_VENUES.map(json).join(', ')}])[1 + ${h('t.i', 40, HONG_KONG_VENUES.length)}]
    when t.city = 'elsewhere' then ${json(ELSEWHERE_VENUES[0] as Phrase)}
    else case ${h('t.i', 41, CITY_VENUES.length)} ${CITY_VENUES.map((v, k) => `when ${k} then ${localizedSql(v, (l) => ({ city: cityName(l, 't.city') }))}`).join(' ')} end
  end`;

  const organisations = `o as (
  select array_agg(id order by id) filter (where side = 'hong-kong') as hk,
         array_agg(id order by id) filter (where side = 'zhejiang') as zj
  from organisations
  where side in ('hong-kong', 'zhejiang') and id not in ('hk-government', 'zj-government')
    and type in ('government-agency', 'statutory-body', 'custodian', 'chamber-or-association', 'arbitration-body', 'school-or-university', 'ngo'))`;
  const commitments = `c as (
  select array_agg(id order by area_number, number) as ids, array_agg(area_number order by area_number, number) as areas, count(*)::int as n
  from commitments where agreement_id = ${literal(AGREEMENT_ID)})`;
  /** The event-level values every statement about events derives from its id, i. */
  const eventPlan = `
g as (
  select i,
    ${h('i', 1, 100)} < 30 as series,
    case when ${h('i', 2, 2)} = 0 then 1 else 3 end as every,
    3 + ${h('i', 3, 10)} as times,
    case when ${h('i', 9, 100)} < 8 then 'online' else (${textArray(weighted)})[1 + ${h('i', 10, weighted.length)}] end as city
  from generate_series(1, ${SCALE.events}) as i),
s as (
  select g.*, case when g.series then g.every * (g.times - 1) else 0 end as span,
    case when g.series then ${seriesType} else ${typeCase} end as type
  from g),
t as (
  select s.*,
    (date ${literal(FIRST_MONTH)} + make_interval(months => ${h('s.i', 4, `${MONTHS} - s.span`)}, days => ${h('s.i', 5, 28)}))::date as first_day,
    c.ids[1 + ${h('s.i', 11, 'c.n')}] as commitment1,
    c.areas[1 + ${h('s.i', 11, 'c.n')}] as area,
    c.ids[1 + (${h('s.i', 11, 'c.n')} + 1 + ${h('s.i', 12, 'c.n - 1')}) % c.n] as commitment2,
    ${h('s.i', 13, 60)} as pattern,
    1 + ${h('s.i', 14, 48)} as n,
    ${h('s.i', 15, 100)} as mode,
    ${h('s.i', 16, 100)} as draft
  from s cross join c)`;

  return [
    {
      label: 'users',
      sql: `
insert into users (id, email, email_verified_at, display_name, locale, created_at, updated_at)
select ${userId('u')}, 'resident-' || lpad(u::text, 5, '0') || '@bench.example.org',
  timestamptz '2023-01-01 10:00:00+08' + make_interval(days => ${h('u', 61, 360)}),
  'Resident ' || lpad(u::text, 5, '0'),
  ${userLocale('u')},
  timestamptz '2023-01-01 09:00:00+08' + make_interval(days => ${h('u', 61, 360)}),
  timestamptz '2023-01-01 09:00:00+08' + make_interval(days => ${h('u', 61, 360)})
from generate_series(1, ${SCALE.users}) as u`,
    },
    {
      label: 'user roles',
      sql: `
insert into user_roles (user_id, role, organisation_id, granted_at)
select ${userId('u')}, 'resident', null, timestamptz '2023-01-01 10:00:00+08' + make_interval(days => ${h('u', 61, 360)})
from generate_series(1, ${SCALE.users}) as u`,
    },
    {
      label: 'events',
      sql: `
with ${commitments}, ${eventPlan},
e as (
  select t.*,
    extract(year from t.first_day)::int as year,
    to_char(t.first_day, 'YYYY-MM-DD') || 'T' || ${perType((type) => literal(TYPES[type].start))} as starts_local,
    case when t.city in ('hong-kong', 'online') then 'Asia/Hong_Kong' else 'Asia/Shanghai' end as time_zone,
    case when t.mode < 70 then 'platform' when t.mode < 82 then 'external' else 'off' end as registration,
    least(t.first_day - 45 - ${h('t.i', 17, 60)}, current_date - 1 - ${h('t.i', 18, 30)})::timestamp + time '10:15' + make_interval(mins => ${h('t.i', 19, 400)}) as created_local
  from t),
t2 as (select e.*, e.created_local at time zone 'Asia/Hong_Kong' as created_at from e)
insert into events (id, reference, type, status, title, description, city, venue, online_url, time_zone, starts_local, duration_minutes, rrule,
  registration, external_url, capacity, requires_approval, questions, feedback, contact_email, created_by, created_at, updated_at)
overriding system value
select t.i,
  'ZJHK-V-' || extract(year from t.created_local)::int || '-' || lpad(t.i::text, 6, '0'),
  t.type,
  case when t.draft < 5 then 'draft' else 'published' end,
  ${titleCase},
  jsonb_build_object('zh-Hant', ${description(0)}, 'zh-Hans', ${description(1)}, 'en', ${description(2)}),
  t.city,
  ${venueCase},
  case when t.city = 'online' then 'https://meet.example.org/zjhk/' || t.i when ${h('t.i', 20, 100)} < 5 then 'https://live.example.org/zjhk/' || t.i end,
  t.time_zone,
  t.starts_local,
  ${perType((type) => TYPES[type].minutes.replaceAll(/#\((\d+)\)/g, (_m, n: string) => h('t.i', 21, Number(n))))},
  case when t.series then 'FREQ=MONTHLY;' || case when t.every > 1 then 'INTERVAL=' || t.every || ';' else '' end || 'COUNT=' || t.times end,
  t.registration,
  case when t.registration = 'external' then 'https://www.example.org/register/zjhk-' || t.i end,
  case when t.registration = 'platform' then ${perType((type) => `${TYPES[type].capacity[0]} + 10 * ${h('t.i', 22, (TYPES[type].capacity[1] - TYPES[type].capacity[0]) / 10 + 1)}`)} end,
  t.registration = 'platform' and ${h('t.i', 23, 100)} < ${perType((type) => String(TYPES[type].approval))},
  '[]'::jsonb,
  t.type = 'symposium',
  case when ${h('t.i', 24, 100)} < 60 then 'events-' || lpad(t.i::text, 5, '0') || '@bench.example.org' end,
  null,
  t.created_at,
  t.created_at
from t2 as t
order by t.i`,
    },
    {
      label: 'event organisers',
      sql: `
with ${commitments}, ${organisations}, ${eventPlan},
p as (
  select t.i,
    case when t.city = 'hong-kong' then o.hk else o.zj end as home,
    case when t.city = 'hong-kong' then o.zj else o.hk end as other
  from t cross join o)
insert into event_organisers (event_id, organisation_id)
select p.i, p.home[1 + ${h('p.i', 25, 'array_length(p.home, 1)')}] from p
union all
select p.i, p.other[1 + ${h('p.i', 26, 'array_length(p.other, 1)')}] from p where ${h('p.i', 27, 100)} < 35`,
    },
    {
      label: 'event commitments',
      sql: `
with ${commitments}, ${eventPlan}
insert into event_commitments (event_id, commitment_id)
select t.i, t.commitment1 from t
union all
select t.i, t.commitment2 from t where ${h('t.i', 28, 100)} < 30`,
    },
    {
      label: 'occurrences',
      sql: `
with e as (
  select id, starts_local, time_zone, duration_minutes, created_at,
    coalesce(substring(rrule from 'COUNT=([0-9]+)')::int, 1) as times,
    coalesce(substring(rrule from 'INTERVAL=([0-9]+)')::int, 1) as every
  from events),
k as (
  select e.*, row_number() over (order by e.id, k)::int as oid, e.starts_local::timestamp + make_interval(months => k * e.every) as wall
  from e cross join lateral generate_series(0, e.times - 1) as k),
w as (
  select k.*, k.wall at time zone k.time_zone as starts_at,
    ${h('k.oid', 30, 1000)} < 30 as cancelled,
    ${h('k.oid', 30, 1000)} between 30 and 39 as moved
  from k)
insert into event_occurrences (id, event_id, slot, starts_at, ends_at, status, modified, city, venue, online_url, capacity, note, cancel_reason, sequence, updated_at)
overriding system value
select w.oid, w.id, w.wall::date, w.starts_at, w.starts_at + make_interval(mins => w.duration_minutes),
  case when w.cancelled then 'cancelled' else 'scheduled' end,
  w.moved,
  case when w.moved then 'hangzhou' end,
  case when w.moved then ${json(MOVED_VENUE)} end,
  null,
  null,
  case when w.moved then ${json(MOVED_NOTE)} else '{}'::jsonb end,
  case when w.cancelled then (${textArray(CANCEL_REASONS)})[1 + ${h('w.oid', 31, CANCEL_REASONS.length)}] end,
  case when w.cancelled or w.moved then 1 else 0 end,
  case when w.cancelled or w.moved then greatest(w.created_at, least(w.starts_at - interval '7 days', now())) else w.created_at end
from w
order by w.oid`,
    },
    {
      label: 'registrations',
      sql: `
with w as (
  select o.id, o.starts_at, o.ends_at, o.status, o.updated_at, e.requires_approval, e.created_at as event_created,
    coalesce(o.capacity, e.capacity) as cap,
    -- How full it gets: 10 % oversubscribed (waitlist), 40 % well attended, 50 % quiet; far-off dates fill later.
    (coalesce(o.capacity, e.capacity) *
      case when ${h('o.id', 32, 100)} < 10 then 140 + ${h('o.id', 33, 80)} when ${h('o.id', 32, 100)} < 50 then 50 + ${h('o.id', 33, 50)} else 5 + ${h('o.id', 33, 40)} end *
      case when o.starts_at > now() + interval '120 days' then 1 else 4 end)::bigint as weight
  from event_occurrences o join events e on e.id = o.event_id
  where e.status = 'published' and e.registration = 'platform'),
cw as (select w.*, (sum(w.weight) over (order by w.id))::bigint as cum, (sum(w.weight) over ())::bigint as total from w),
n as (
  select cw.*, ((cw.cum - cw.weight) * ${SCALE.registrations} / cw.total)::int as base,
    (cw.cum * ${SCALE.registrations} / cw.total - (cw.cum - cw.weight) * ${SCALE.registrations} / cw.total)::int as many,
    least(cw.starts_at - interval '1 day', now(), case when cw.status = 'cancelled' then cw.updated_at end) as window_end
  from cw),
r as (
  select n.*, j, n.base + j as rid, 1 + ((n.id::bigint * 7919 + j::bigint * 104729) % ${SCALE.users})::int as u,
    greatest(n.window_end - interval '60 days', n.event_created) as window_start,
    ${h('n.base + j', 34, 100)} as roll,
    ${codeBits('n.base + j')} as bits
  from n cross join lateral generate_series(1, n.many) as j),
st as (
  select r.*,
    r.window_start + (r.window_end - r.window_start) * (r.j::float8 / (r.many + 1)) as created_at,
    case
      when r.status = 'cancelled' then 'cancelled'
      when r.j > r.cap then 'waitlisted'
      when r.roll < 5 then 'cancelled'
      when r.requires_approval and r.roll < 9 then 'rejected'
      when r.requires_approval and r.roll < 15 and r.ends_at > now() then 'pending'
      when r.ends_at < now() and r.roll < 87 then 'attended'
      else 'confirmed'
    end as state
  from r)
insert into event_registrations (id, reference, occurrence_id, user_id, state, locale, answers, check_in_code, reject_reason, created_at,
  waitlisted_at, decided_at, decided_by, cancelled_at, checked_in_at, checked_in_by, reminded_at)
overriding system value
select st.rid,
  'ZJHK-R-' || to_char(st.created_at at time zone 'Asia/Hong_Kong', 'YYYY') || '-' || lpad(st.rid::text, 6, '0'),
  st.id, ${userId('st.u')}, st.state, ${userLocale('st.u')}, '{}'::jsonb,
  ${checkInCode('st.bits')},
  case when st.state = 'rejected' then (${textArray(REJECT_REASONS)})[1 + ${h('st.rid', 35, REJECT_REASONS.length)}] end,
  st.created_at,
  case when st.state = 'waitlisted' then st.created_at end,
  case when st.state = 'rejected' or (st.requires_approval and st.state in ('confirmed', 'attended')) then st.created_at + (st.window_end - st.created_at) * 0.3 end,
  null,
  case when st.state = 'cancelled' then case when st.status = 'cancelled' then st.updated_at else st.created_at + (st.window_end - st.created_at) * 0.5 end end,
  case when st.state = 'attended' then st.starts_at + make_interval(mins => ${h('st.rid', 36, 40)} - 25) end,
  null,
  case when st.state in ('confirmed', 'attended') and st.starts_at < now() + interval '2 days' then least(st.starts_at - interval '1 day', now()) end
from st
order by st.rid`,
    },
    {
      label: 'identity sequences',
      sql: `
select setval(pg_get_serial_sequence('events', 'id'), (select max(id) from events)),
       setval(pg_get_serial_sequence('event_occurrences', 'id'), (select max(id) from event_occurrences)),
       setval(pg_get_serial_sequence('event_registrations', 'id'), (select max(id) from event_registrations))`,
    },
  ];
}

export interface LoadTiming {
  label: string;
  rows: number;
  ms: number;
}

/** Runs the steps in one transaction, then ANALYZE; returns each step's time and rows. */
export async function loadEventData(db: Kysely<Database>, log: (line: string) => void): Promise<LoadTiming[]> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db);
  if ((existing.rows[0]?.n ?? 0) > 0) throw new Error('the database already holds events: the benchmark loads its own into an empty one');
  const timings: LoadTiming[] = [];
  await db.transaction().execute(async (trx) => {
    for (const step of eventSteps()) {
      const started = performance.now();
      const result = await sql.raw(step.sql).execute(trx);
      const ms = performance.now() - started;
      const rows = Number(result.numAffectedRows ?? result.rows.length);
      timings.push({ label: step.label, rows, ms });
      log(`    ${step.label.padEnd(20)} ${String(rows).padStart(7)} rows  ${(ms / 1000).toFixed(1).padStart(6)} s`);
    }
  });
  const started = performance.now();
  await sql`analyze`.execute(db);
  const ms = performance.now() - started;
  timings.push({ label: 'analyze', rows: 0, ms });
  log(`    ${'analyze'.padEnd(20)} ${''.padStart(7)}       ${(ms / 1000).toFixed(1).padStart(6)} s`);
  return timings;
}

export interface Targets {
  /** Filter values the benchmark rotates through: those with the most events first. */
  areas: number[];
  /** Commitment codes 'A-N'. */
  commitments: string[];
  organisers: string[];
  types: EventType[];
  cities: string[];
  /** The resident with the most registrations (the signed-in visitor). */
  busiestUser: { id: string; registrations: number };
  counts: Record<string, number>;
}

export async function describeData(db: Kysely<Database>): Promise<Targets> {
  const count = async (query: ReturnType<typeof sql<{ n: number }>>): Promise<number> => (await query.execute(db)).rows[0]?.n ?? 0;
  const counts: Record<string, number> = {};
  for (const table of ['users', 'events', 'event_organisers', 'event_commitments', 'event_occurrences', 'event_registrations'] as const) {
    counts[table] = await count(sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`);
  }
  counts['events (series)'] = await count(sql<{ n: number }>`select count(*)::int as n from events where rrule is not null`);
  counts['events (published)'] = await count(sql<{ n: number }>`select count(*)::int as n from events where status = 'published'`);
  counts['occurrences (cancelled)'] = await count(sql<{ n: number }>`select count(*)::int as n from event_occurrences where status = 'cancelled'`);
  counts['occurrences (upcoming)'] = await count(sql<{ n: number }>`select count(*)::int as n from event_occurrences where starts_at >= now()`);
  const states = await sql<{ state: string; n: number }>`select state, count(*)::int as n from event_registrations group by state order by state`.execute(db);
  for (const row of states.rows) counts[`registrations ${row.state}`] = row.n;
  counts['registrations, most on one occurrence'] = await count(sql<{ n: number }>`select coalesce(max(n), 0)::int as n from (select count(*) as n from event_registrations group by occurrence_id) x`);
  counts['check-in codes (distinct)'] = await count(sql<{ n: number }>`select count(distinct check_in_code)::int as n from event_registrations`);

  const areas = await sql<{ area: number }>`
    select c.area_number as area from event_commitments ec join commitments c on c.id = ec.commitment_id
    where c.agreement_id = ${AGREEMENT_ID} group by c.area_number order by count(*) desc, c.area_number`.execute(db);
  const commitments = await sql<{ code: string }>`
    select c.area_number || '-' || c.number as code from event_commitments ec join commitments c on c.id = ec.commitment_id
    where c.agreement_id = ${AGREEMENT_ID} group by c.area_number, c.number order by count(*) desc, c.area_number, c.number limit 12`.execute(db);
  // The six busiest organisers of each side, alternating.
  const organisers = await sql<{ id: string }>`
    select id from (
      select eo.organisation_id as id, row_number() over (partition by o.side order by count(*) desc, eo.organisation_id) as rank, o.side
      from event_organisers eo join organisations o on o.id = eo.organisation_id group by eo.organisation_id, o.side) x
    where rank <= 6 order by rank, side`.execute(db);
  const types = await sql<{ type: EventType }>`select type from events group by type order by count(*) desc, type`.execute(db);
  const cities = await sql<{ city: string }>`select city from events group by city order by count(*) desc, city`.execute(db);
  const busiest = await sql<{ id: string; n: number }>`
    select user_id as id, count(*)::int as n from event_registrations group by user_id order by count(*) desc, user_id limit 1`.execute(db);
  const user = busiest.rows[0];
  if (!user) throw new Error('no registrations were loaded');
  return {
    areas: areas.rows.map((r) => r.area),
    commitments: commitments.rows.map((r) => r.code),
    organisers: organisers.rows.map((r) => r.id),
    types: types.rows.map((r) => r.type),
    cities: cities.rows.map((r) => r.city),
    busiestUser: { id: user.id, registrations: user.n },
    counts,
  };
}
