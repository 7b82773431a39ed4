import type { Locale } from '../../platform/i18n/locales.ts';

interface Statement {
  intro: string;
  sections: { heading: string; paragraphs: string[] }[];
}

/** The accessibility statement, written for each language (not translated by machine). */
export const ACCESSIBILITY_STATEMENT: Record<Locale, Statement> = {
  'zh-Hant': {
    intro: '我們致力令所有人都能使用本平台，包括使用輔助技術的人士。本平台以《無障礙網頁內容指引》(WCAG) 2.1 AA 級為目標。',
    sections: [
      {
        heading: '我們的做法',
        paragraphs: [
          '每個頁面均提供繁體中文、簡體中文及英文版本，並正確標示語言，讓屏幕閱讀器以正確的語言朗讀。',
          '頁面可完全以鍵盤操作，頁首設有「跳至主要內容」連結；標題、地標及表格均有適當標示。',
          '版面會因應螢幕大小調整，文字可放大至 200% 而不會遺失內容；顏色對比符合 AA 級要求。',
          '所有功能在不啟用 JavaScript 的情況下亦可使用；頁面不會載入外部字型或第三方內容。',
          '每次更新均以自動化測試 (axe-core) 檢查各類頁面是否符合 WCAG 2.1 A 及 AA 級準則。',
        ],
      },
      {
        heading: '已知限制',
        paragraphs: ['協議的英文文本為非官方譯本。自動化測試未能發現所有問題，我們歡迎使用者提出意見。'],
      },
      {
        heading: '意見及聯絡',
        paragraphs: ['如你在使用本平台時遇到困難，或需要以其他格式取得資料，請透過平台的開源項目提出問題，我們會盡快回覆。'],
      },
    ],
  },
  'zh-Hans': {
    intro: '我们致力让所有人都能使用本平台，包括使用辅助技术的人士。本平台以《网页内容无障碍指南》(WCAG) 2.1 AA 级为目标。',
    sections: [
      {
        heading: '我们的做法',
        paragraphs: [
          '每个页面均提供繁体中文、简体中文及英文版本，并正确标注语言，让屏幕阅读器以正确的语言朗读。',
          '页面可完全通过键盘操作，页首设有“跳至主要内容”链接；标题、地标及表格均有适当标注。',
          '版面会根据屏幕大小调整，文字可放大至 200% 而不会丢失内容；颜色对比度符合 AA 级要求。',
          '所有功能在不启用 JavaScript 的情况下亦可使用；页面不会加载外部字体或第三方内容。',
          '每次更新均以自动化测试 (axe-core) 检查各类页面是否符合 WCAG 2.1 A 及 AA 级准则。',
        ],
      },
      {
        heading: '已知限制',
        paragraphs: ['协议的英文文本为非官方译本。自动化测试未能发现所有问题，我们欢迎用户提出意见。'],
      },
      {
        heading: '意见及联系',
        paragraphs: ['如您在使用本平台时遇到困难，或需要以其他格式获取资料，请通过平台的开源项目提出问题，我们会尽快回复。'],
      },
    ],
  },
  en: {
    intro:
      'We want everyone to be able to use this platform, including people who use assistive technology. The platform aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.',
    sections: [
      {
        heading: 'What we do',
        paragraphs: [
          'Every page exists in Traditional Chinese, Simplified Chinese and English, and marks its language so that screen readers read it in the right voice.',
          'Every page can be used with a keyboard alone and starts with a “Skip to main content” link; headings, landmarks and tables are marked up for assistive technology.',
          'The layout adapts to the size of the screen, text can be enlarged to 200 % without loss of content, and colour contrast meets level AA.',
          'Everything works without JavaScript; pages load no external fonts and no third-party content.',
          'Every change is checked by automated tests (axe-core) against the WCAG 2.1 level A and AA rules on every type of page.',
        ],
      },
      {
        heading: 'Known limitations',
        paragraphs: ['The English text of the agreement is an unofficial translation. Automated tests cannot find every problem, and we welcome reports from users.'],
      },
      {
        heading: 'Feedback and contact',
        paragraphs: [
          'If you have difficulty using the platform, or need information in another format, please open an issue in the platform’s open-source project and we will reply as soon as we can.',
        ],
      },
    ],
  },
};
