import { defineMessages } from '../../../platform/i18n/messages.ts';

/** Messages of events (活動): the counts events offer to results indicators, in the three languages side by side. The English keys define the shape. */
export const indicatorCountsMessages = defineMessages({
  en: {
    'events.indicatorCounts.label': 'Actuals come from events held on this platform',
    'events.indicatorCounts.hint':
      'Counting events: each period’s actual is the number of dates of published events linked to this commitment that have taken place in the period; cancelled dates are not counted, and per side each date counts for the side of its organisers.',
    'events.indicatorCounts.any': 'Events of any type',
    'events.indicatorCounts.badge': 'Counted from events',
    'events.indicatorCounts.note': (p: { kind: string }) =>
      `The actuals are the dates of events held on this platform for this commitment (${p.kind}) that have taken place; cancelled dates are not counted.`,
    'events.indicatorCounts.link': 'See these events in the calendar',
    'events.indicatorCounts.noFigure': (p: { name: string }) => `${p.name}: counted from the events held on this platform, so there is no figure to enter here.`,
  },
  'zh-Hant': {
    'events.indicatorCounts.label': '實際數字取自本平台舉辦的活動',
    'events.indicatorCounts.hint': '按活動統計時，每個期間的實際數字為該期間內已舉行、與此承諾相關的已發佈活動場次數目；已取消的場次不計算在內，按雙方各自計算時，每個場次計入主辦機構所屬的一方。',
    'events.indicatorCounts.any': '任何類型的活動',
    'events.indicatorCounts.badge': '按活動統計',
    'events.indicatorCounts.note': (p) => `實際數字為本平台就此承諾舉辦而已舉行的活動場次（${p.kind}）；已取消的場次不計算在內。`,
    'events.indicatorCounts.link': '在活動日曆查看這些活動',
    'events.indicatorCounts.noFigure': (p) => `${p.name}：按本平台舉辦的活動統計，毋須在此填寫數字。`,
  },
  'zh-Hans': {
    'events.indicatorCounts.label': '实际数字取自本平台举办的活动',
    'events.indicatorCounts.hint': '按活动统计时，每个期间的实际数字为该期间内已举办、与此承诺相关的已发布活动场次数；已取消的场次不计入，按双方分别统计时，每个场次计入主办单位所属的一方。',
    'events.indicatorCounts.any': '任何类型的活动',
    'events.indicatorCounts.badge': '按活动统计',
    'events.indicatorCounts.note': (p) => `实际数字为本平台围绕此承诺举办且已举行的活动场次（${p.kind}）；已取消的场次不计入。`,
    'events.indicatorCounts.link': '在活动日历中查看这些活动',
    'events.indicatorCounts.noFigure': (p) => `${p.name}：按本平台举办的活动统计，无需在此填写数字。`,
  },
});
