import { describe, expect, it } from 'vitest';
import { convertScript, displayText } from './script.ts';

describe('showing user-written text in the other Chinese script', () => {
  it('converts between Hong Kong Traditional and Mainland Simplified', () => {
    expect(convertScript('已舉辦首場跨境理財研討會', 'zh-Hans')).toBe('已举办首场跨境理财研讨会');
    expect(convertScript('浙方统计全年共举办研讨会', 'zh-Hant')).toBe('浙方統計全年共舉辦研討會');
  });

  it('uses the visitor’s own script when written in it, converts the other, and otherwise picks what there is', () => {
    expect(displayText({ 'zh-Hant': '研討會', 'zh-Hans': '座谈会' }, 'zh-Hans')).toEqual({ text: '座谈会', locale: 'zh-Hans' });
    expect(displayText({ 'zh-Hant': '研討會' }, 'zh-Hans')).toEqual({ text: '研讨会', locale: 'zh-Hans', convertedFrom: 'zh-Hant' });
    expect(displayText({ 'zh-Hant': '研討會' }, 'en')).toEqual({ text: '研討會', locale: 'zh-Hant' });
    expect(displayText({ en: 'Seminar' }, 'zh-Hant')).toEqual({ text: 'Seminar', locale: 'en' });
  });
});
