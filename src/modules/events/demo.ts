import { audit } from '../../platform/audit/audit.ts';
import type { LocalizedText } from '../../platform/i18n/locales.ts';
import type { CommandContext } from '../../platform/module.ts';
import { todayIn } from '../../platform/clock.ts';
import { type EventValues, findEvents, insertEvent } from './queries/events.ts';
import { syncOccurrences } from './queries/occurrences.ts';
import { expandSchedule } from './recurrence.ts';
import { findCommitments } from '../agreements/index.ts';

/**
 * The illustrative demo events (`zjhk seed --demo`): a quarterly symposium for Hong Kong-invested
 * enterprises in Hangzhou (三)1, the Asian IP business forum each December in Hong Kong (三)4 and a
 * study tour in Zhejiang for Hong Kong students (六)1. Their dates follow the day the demo is loaded;
 * each description says, in every language, that the event is an example. Loading twice adds nothing.
 */

const AGREEMENT_ID = 'zjhk-2023';

const ILLUSTRATIVE: LocalizedText = {
  'zh-Hant': '（示例資料：此活動僅供展示平台功能，並非真實活動。）',
  'zh-Hans': '（示例数据：此活动仅用于演示平台功能，并非真实活动。）',
  en: '(Illustrative example: this event only shows how the platform works; it is not a real event.)',
};

const withNote = (text: LocalizedText): LocalizedText => ({
  'zh-Hant': `${text['zh-Hant']}\n\n${ILLUSTRATIVE['zh-Hant']}`,
  'zh-Hans': `${text['zh-Hans']}\n\n${ILLUSTRATIVE['zh-Hans']}`,
  en: `${text.en}\n\n${ILLUSTRATIVE.en}`,
});

/** 'YYYY-MM-DD' of the given day of the month after `today`'s. */
function nextMonthDay(today: string, day: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const year = m === 12 ? y + 1 : y;
  const month = m === 12 ? 1 : m + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The next `month`/`day` on or after `today`. */
function nextDate(today: string, month: number, day: number): string {
  const year = Number(today.slice(0, 4));
  const candidate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return candidate >= today ? candidate : `${year + 1}${candidate.slice(4)}`;
}

type DemoEvent = Omit<EventValues, 'commitmentIds'> & { commitments: [number, number][] };

function demoData(today: string): DemoEvent[] {
  return [
    {
      type: 'symposium',
      status: 'published',
      title: { 'zh-Hant': '在浙港資企業座談會', 'zh-Hans': '在浙港资企业座谈会', en: 'Symposium for Hong Kong-invested enterprises in Zhejiang' },
      description: withNote({
        'zh-Hant': '每季舉行的座談會，讓在浙江經營的港資企業與省商務廳及相關部門直接交流，反映經營中遇到的問題，並就營商環境提出意見和建議。會後會向出席者收集意見。',
        'zh-Hans': '每季度举办的座谈会，让在浙江经营的港资企业与省商务厅及相关部门直接交流，反映经营中遇到的问题，并就营商环境提出意见和建议。会后将向参会人员收集反馈。',
        en: 'A quarterly symposium where Hong Kong-invested enterprises operating in Zhejiang meet the Provincial Department of Commerce and other departments, raise the problems they meet and make suggestions on the business environment. Attendees are asked for feedback afterwards.',
      }),
      city: 'hangzhou',
      venue: { 'zh-Hant': '浙江省商務廳會議室（杭州）', 'zh-Hans': '浙江省商务厅会议室（杭州）', en: 'Conference room, Zhejiang Provincial Department of Commerce, Hangzhou' },
      onlineUrl: null,
      timeZone: 'Asia/Shanghai',
      startsLocal: `${nextMonthDay(today, 15)}T14:30`,
      durationMinutes: 150,
      rrule: 'FREQ=MONTHLY;INTERVAL=3;COUNT=4',
      registration: 'platform',
      externalUrl: null,
      capacity: 60,
      requiresApproval: false,
      questions: [
        { key: 'q1', label: { 'zh-Hant': '企業名稱', 'zh-Hans': '企业名称', en: 'Name of your enterprise' }, kind: 'text', required: true },
        { key: 'q2', label: { 'zh-Hant': '希望在會上討論的議題', 'zh-Hans': '希望在会上讨论的议题', en: 'Topics you would like to raise' }, kind: 'text', required: false },
      ],
      feedback: true,
      contactEmail: null,
      organisers: ['zj-commerce'],
      commitments: [[3, 1]],
    },
    {
      type: 'forum',
      status: 'published',
      title: { 'zh-Hant': '亞洲知識產權營商論壇', 'zh-Hans': '亚洲知识产权营商论坛', en: 'Business of IP Asia Forum' },
      description: withNote({
        'zh-Hant': '每年十二月在香港舉行的論壇，推動知識產權商品化及交易。浙江企業可藉此認識香港的知識產權專業服務，開拓國際市場。報名由論壇主辦單位處理。',
        'zh-Hans': '每年十二月在香港举办的论坛，推动知识产权商品化和交易。浙江企业可借此了解香港的知识产权专业服务，开拓国际市场。报名由论坛主办单位负责。',
        en: 'The forum held in Hong Kong every December to promote the commercialisation and trading of intellectual property. Zhejiang enterprises meet Hong Kong’s IP professional services on their way to international markets. Registration is handled by the forum’s organisers.',
      }),
      city: 'hong-kong',
      venue: { 'zh-Hant': '香港會議展覽中心（灣仔）', 'zh-Hans': '香港会议展览中心（湾仔）', en: 'Hong Kong Convention and Exhibition Centre, Wan Chai' },
      onlineUrl: null,
      timeZone: 'Asia/Hong_Kong',
      startsLocal: `${nextDate(today, 12, 4)}T09:00`,
      durationMinutes: 540,
      rrule: 'FREQ=YEARLY;COUNT=3',
      registration: 'off',
      externalUrl: null,
      capacity: null,
      requiresApproval: false,
      questions: [],
      feedback: false,
      contactEmail: null,
      organisers: ['hk-ipd'],
      commitments: [[3, 4]],
    },
    {
      type: 'study-tour',
      status: 'published',
      title: { 'zh-Hant': '香港青年學生浙江研學團', 'zh-Hans': '香港青年学生浙江研学团', en: 'Zhejiang study tour for Hong Kong students' },
      description: withNote({
        'zh-Hant': '為期五日的研學實踐活動，讓香港青年學生走訪杭州及周邊城市的高等院校、科技企業和文化地標，了解浙江的發展。報名須經主辦單位審批。',
        'zh-Hans': '为期五天的研学实践活动，让香港青年学生走访杭州及周边城市的高等院校、科技企业和文化地标，了解浙江的发展。报名须经主办单位审核。',
        en: 'A five-day study tour in which Hong Kong students visit universities, technology companies and cultural landmarks in Hangzhou and nearby cities and learn how Zhejiang is developing. The organiser approves each registration.',
      }),
      city: 'hangzhou',
      venue: { 'zh-Hant': '杭州東站集合', 'zh-Hans': '杭州东站集合', en: 'Meeting point: Hangzhou East Railway Station' },
      onlineUrl: null,
      timeZone: 'Asia/Shanghai',
      startsLocal: `${nextDate(today, 7, 14)}T09:00`,
      // Four days and eight hours: from 09:00 on the first day to 17:00 on the fifth.
      durationMinutes: 4 * 24 * 60 + 8 * 60,
      rrule: null,
      registration: 'platform',
      externalUrl: null,
      capacity: 40,
      requiresApproval: true,
      questions: [
        { key: 'q1', label: { 'zh-Hant': '就讀學校', 'zh-Hans': '就读学校', en: 'Your school or university' }, kind: 'text', required: true },
        {
          key: 'q2',
          label: { 'zh-Hant': '就讀程度', 'zh-Hans': '就读阶段', en: 'Level of study' },
          kind: 'choice',
          options: [
            { 'zh-Hant': '中學', 'zh-Hans': '中学', en: 'Secondary school' },
            { 'zh-Hant': '大學本科', 'zh-Hans': '大学本科', en: 'Undergraduate' },
            { 'zh-Hant': '研究生', 'zh-Hans': '研究生', en: 'Postgraduate' },
          ],
          required: true,
        },
        { key: 'q3', label: { 'zh-Hant': '是否首次到訪浙江？', 'zh-Hans': '是否首次到访浙江？', en: 'Is this your first visit to Zhejiang?' }, kind: 'yes-no', required: false },
        { key: 'q4', label: { 'zh-Hant': '膳食要求（如有）', 'zh-Hans': '饮食要求（如有）', en: 'Dietary requirements (if any)' }, kind: 'text', required: false },
      ],
      feedback: false,
      contactEmail: null,
      organisers: ['zj-education'],
      commitments: [[6, 1]],
    },
  ];
}

/** Adds the demo events that are not there yet (recognised by their English title), each audited. */
export async function demoEvents(ctx: CommandContext): Promise<void> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const today = todayIn(ctx.config.timeZone, now);
  const commitments = (await findCommitments(db)).filter((c) => c.agreementId === AGREEMENT_ID);
  if (commitments.length === 0) throw new Error(`the events demo needs the agreement ${AGREEMENT_ID} and its commitments: run \`zjhk seed\` first`);
  const existing = new Set((await findEvents(db)).map((e) => e.title.en));
  let added = 0;
  for (const demo of demoData(today)) {
    if (existing.has(demo.title.en)) continue;
    const { commitments: refs, ...rest } = demo;
    const values: EventValues = {
      ...rest,
      commitmentIds: refs.map(([area, number]) => {
        const c = commitments.find((x) => x.areaNumber === area && x.number === number);
        if (!c) throw new Error(`the events demo names commitment (${area})${number}, which the agreement does not have`);
        return c.id;
      }),
    };
    const dates = expandSchedule(values);
    if (!dates.ok) throw new Error(`the demo event “${demo.title.en}” has a schedule that cannot be written out: ${dates.error}`);
    await db.transaction().execute(async (trx) => {
      const saved = await insertEvent(trx, { ...values, year: Number(today.slice(0, 4)), createdBy: null });
      await syncOccurrences(trx, saved.id, dates.occurrences, 'removed', now);
      await audit(trx, {
        actor: ctx.actor,
        action: 'event.created',
        entity: { type: 'event', id: saved.reference },
        changes: { illustrative: { before: null, after: true }, title: { before: null, after: values.title } },
      });
    });
    added += 1;
  }
  ctx.print(added ? `  events demo (illustrative): ${added} events added` : '  events demo: already loaded; nothing added');
}
