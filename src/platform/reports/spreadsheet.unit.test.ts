import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CREATOR, displayWidth, type Sheet, sheetNames, toCsv, toXlsx, type Workbook } from './spreadsheet.ts';

/** Forty characters of Traditional Chinese: longer than Excel's 31. */
const LONG_NAME = '浙江省與香港特別行政區合作平台二〇二四年度第一季度各市區縣項目進度統計資料彙編表';

const projects: Sheet = {
  name: LONG_NAME,
  title: '二〇二四年第一季度項目進度',
  columns: [
    { key: 'name', header: '項目名稱' },
    { key: 'budget', header: '預算（港元）', kind: 'number' },
    { key: 'share', header: '完成比例 (%)', kind: 'percent' },
    { key: 'start', header: '開始日期', kind: 'date' },
    { key: 'code', header: 'Code' },
  ],
  rows: [
    { name: '杭州—香港青年創業交流計劃', budget: 1_250_000, share: 0.425, start: new Date('2024-03-01'), code: 'HZ-01' },
    { name: '=HYPERLINK("http://evil.example")', budget: -3, share: null, start: '2024-02-29', code: null },
    { name: '寧波港物流, "綠色"通道\n第二期', budget: '12.5', share: 1, start: null, code: 'NB-02' },
  ],
};

const created = new Date('2024-04-01T08:00:00Z');

function book(overrides: Partial<Workbook> = {}): Workbook {
  return {
    title: '浙港合作季度報告',
    subject: '項目進度',
    locale: 'zh-Hant',
    created,
    sheets: [projects, { ...projects, title: undefined }, { name: "'Q1/Q2: [draft]*?'", columns: [{ key: 'a', header: 'A' }], rows: [{ a: 'x' }] }],
    ...overrides,
  };
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return workbook;
}

function sheetAt(workbook: ExcelJS.Workbook, index: number): ExcelJS.Worksheet {
  const sheet = workbook.worksheets[index];
  if (!sheet) throw new Error(`no worksheet ${index}`);
  return sheet;
}

describe('sheetNames', () => {
  it('cuts long names to 31 characters and keeps them unique within the 31', () => {
    expect(LONG_NAME).toHaveLength(40);
    const [first, second, third] = sheetNames([LONG_NAME, LONG_NAME, LONG_NAME]);
    expect(first).toBe(LONG_NAME.slice(0, 31));
    expect(second).toBe(`${LONG_NAME.slice(0, 27)} (2)`);
    expect(third).toBe(`${LONG_NAME.slice(0, 27)} (3)`);
    expect(second).toHaveLength(31);
  });

  it('replaces forbidden characters and drops apostrophes at either end', () => {
    expect(sheetNames(["'Q1/Q2: [draft]*?'", 'a\\b'])).toEqual(['Q1-Q2- (draft)__', 'a-b']);
  });

  it('compares names ignoring case, avoids the reserved History and names empty ones', () => {
    expect(sheetNames(['Data', 'DATA', 'history', '', '  '])).toEqual(['Data', 'DATA (2)', 'history (2)', 'Sheet4', 'Sheet5']);
  });

  it('does not split a surrogate pair when cutting', () => {
    const name = `${'a'.repeat(30)}𠀀`; // U+20000 takes two UTF-16 units, Excel's count
    expect(sheetNames([name])).toEqual(['a'.repeat(30)]);
  });
});

describe('displayWidth', () => {
  it('counts CJK and fullwidth characters double', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('浙港合作')).toBe(8);
    expect(displayWidth('（港元）')).toBe(8);
    expect(displayWidth('第二期\nab')).toBe(6);
  });
});

describe('toXlsx', () => {
  it('names the worksheets by Excel’s rules and puts the note on a last sheet', async () => {
    const workbook = await load(await toXlsx(book({ note: '資料來源：各市商務局。\n數字未經審計。' })));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([LONG_NAME.slice(0, 31), `${LONG_NAME.slice(0, 27)} (2)`, 'Q1-Q2- (draft)__', '說明']);
    const about = sheetAt(workbook, 3);
    const lines: unknown[] = [];
    about.eachRow((row) => lines.push(row.getCell(1).value));
    expect(lines).toEqual(['浙港合作季度報告', '項目進度', '資料來源：各市商務局。', '數字未經審計。']);
    expect(workbook.description).toBe('資料來源：各市商務局。\n數字未經審計。');
  });

  it('names the note sheet in the workbook’s language and keeps it unique', async () => {
    const workbook = await load(await toXlsx(book({ locale: 'en', sheets: [{ ...projects, name: 'About' }], note: 'Unaudited.' })));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['About', 'About (2)']);
  });

  it('writes no note sheet without a note', async () => {
    const workbook = await load(await toXlsx(book()));
    expect(workbook.worksheets).toHaveLength(3);
  });

  it('writes the title row, the header row, then the rows, with Chinese intact', async () => {
    const sheet = sheetAt(await load(await toXlsx(book())), 0);
    const title = sheet.getCell('A1');
    expect(title.value).toBe('二〇二四年第一季度項目進度');
    expect(title.font?.bold).toBe(true);
    expect(title.font?.size).toBeGreaterThan(11);
    expect(sheet.getRow(2).values).toEqual([undefined, '項目名稱', '預算（港元）', '完成比例 (%)', '開始日期', 'Code']);
    expect(sheet.getCell('A2').font?.bold).toBe(true);
    expect(sheet.getCell('E2').font?.bold).toBe(true);
    expect(sheet.getCell('A3').value).toBe('杭州—香港青年創業交流計劃');
    expect(sheet.getCell('A5').value).toBe('寧波港物流, "綠色"通道\n第二期');
    expect(sheet.getCell('A5').alignment?.wrapText).toBe(true);
    expect(sheet.rowCount).toBe(5);
  });

  it('starts with the header row when there is no title', async () => {
    const sheet = sheetAt(await load(await toXlsx(book())), 1);
    expect(sheet.getCell('A1').value).toBe('項目名稱');
    expect(sheet.getCell('A2').value).toBe('杭州—香港青年創業交流計劃');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:E4');
  });

  it('stores numbers, percentages and dates as typed cells', async () => {
    const sheet = sheetAt(await load(await toXlsx(book())), 0);
    const budget = sheet.getCell('B3');
    expect(budget.type).toBe(ExcelJS.ValueType.Number);
    expect(budget.value).toBe(1_250_000);
    expect(sheet.getCell('B4').value).toBe(-3);
    // A decimal string in a number column, as the database hands out `numeric`.
    expect(sheet.getCell('B5').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('B5').value).toBe(12.5);

    const share = sheet.getCell('C3');
    expect(share.type).toBe(ExcelJS.ValueType.Number);
    expect(share.value).toBe(0.425);
    expect(share.numFmt).toBe('0.0%');
    expect(sheet.getCell('C4').type).toBe(ExcelJS.ValueType.Null);

    const start = sheet.getCell('D3');
    expect(start.type).toBe(ExcelJS.ValueType.Date);
    expect(start.value).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(start.numFmt).toBe('yyyy-mm-dd');
    // A 'YYYY-MM-DD' string in a date column, as the database hands out `date`.
    expect(sheet.getCell('D4').type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell('D4').value).toEqual(new Date(Date.UTC(2024, 1, 29)));
  });

  it('keeps text that looks like a formula as text', async () => {
    const cell = sheetAt(await load(await toXlsx(book())), 0).getCell('A4');
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe('=HYPERLINK("http://evil.example")');
  });

  it('freezes the panes below the header and filters over the table', async () => {
    const sheet = sheetAt(await load(await toXlsx(book())), 0);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3' });
    expect(sheet.autoFilter).toBe('A2:E5');
  });

  it('sizes columns from their content, CJK counting double, unless a width is given', async () => {
    const sheet: Sheet = {
      name: 'widths',
      columns: [
        { key: 'cjk', header: 'a' },
        { key: 'latin', header: 'b' },
        { key: 'fixed', header: 'c', width: 42 },
      ],
      rows: [{ cjk: '浙港合作浙港合作浙港合作', latin: 'abcdefghijkl', fixed: 'x' }],
    };
    const written = sheetAt(await load(await toXlsx(book({ sheets: [sheet] }))), 0);
    expect(written.getColumn(1).width).toBe(26);
    expect(written.getColumn(2).width).toBe(14);
    expect(written.getColumn(3).width).toBe(42);
  });

  it('sets the document properties', async () => {
    const workbook = await load(await toXlsx(book()));
    expect(workbook.title).toBe('浙港合作季度報告');
    expect(workbook.subject).toBe('項目進度');
    expect(workbook.creator).toBe(CREATOR);
    expect(workbook.created).toEqual(created);
  });

  it('refuses a workbook without sheets, or a sheet longer than Excel holds', async () => {
    await expect(toXlsx(book({ sheets: [] }))).rejects.toThrow(RangeError);
    // Sparse: only the length counts. With its header row, one row too many.
    const tooLong: Sheet = { name: 'long', columns: [{ key: 'a', header: 'a' }], rows: new Array<Record<string, null>>(1_048_576) };
    await expect(toXlsx(book({ sheets: [tooLong] }))).rejects.toThrow(/more rows than Excel holds/);
  });
});

describe('toCsv', () => {
  const csv = toCsv(projects);

  it('starts with a byte-order mark and ends every record with CRLF', () => {
    expect(csv.startsWith('\uFEFF項目名稱,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    // The only bare line feed is the one inside the quoted cell.
    expect(csv.replace(/\r\n/g, '').split('\n')).toHaveLength(2);
  });

  it('writes header, quoting, formula guard, numbers, percentages, dates and empty cells', () => {
    expect(csv).toBe(
      '\uFEFF' +
        [
          '項目名稱,預算（港元）,完成比例 (%),開始日期,Code',
          '杭州—香港青年創業交流計劃,1250000,42.5,2024-03-01,HZ-01',
          `"'=HYPERLINK(""http://evil.example"")",-3,,2024-02-29,`,
          '"寧波港物流, ""綠色""通道\n第二期",12.5,100,,NB-02',
        ].join('\r\n') +
        '\r\n',
    );
  });

  it('prefixes text that a spreadsheet would run as a formula, but not numbers', () => {
    const sheet: Sheet = {
      name: 'guard',
      columns: [
        { key: 'text', header: 'text' },
        { key: 'number', header: 'number', kind: 'number' },
      ],
      rows: [
        { text: '=1+1', number: -3 },
        { text: '+86 571', number: -0.5 },
        { text: '-5', number: '-5' },
        { text: '@SUM(A1)', number: null },
        { text: '\tcmd', number: 0 },
        { text: '\rcmd', number: 1e21 },
        { text: '＝1+1', number: 2 },
        { text: 'a=b', number: 7 },
      ],
    };
    const records = toCsv(sheet).slice(1).split('\r\n');
    expect(records).toEqual(['text,number', "'=1+1,-3", "'+86 571,-0.5", "'-5,-5", "'@SUM(A1),", "'\tcmd,0", `"'\rcmd",1e+21`, "'＝1+1,2", 'a=b,7', '']);
  });

  it('quotes a cell holding only a line break', () => {
    const sheet: Sheet = {
      name: 'n',
      columns: [
        { key: 'a', header: 'a' },
        { key: 'b', header: 'b' },
      ],
      rows: [{ a: 'one\ntwo', b: 'three\rfour' }],
    };
    expect(toCsv(sheet)).toBe('\uFEFFa,b\r\n"one\ntwo","three\rfour"\r\n');
  });

  it('writes a percentage with at most one decimal', () => {
    const sheet: Sheet = { name: 'p', columns: [{ key: 'p', header: 'p', kind: 'percent' }], rows: [{ p: 0.4256 }, { p: 0.5 }, { p: -0.125 }, { p: '0.1' }] };
    expect(toCsv(sheet)).toBe('\uFEFFp\r\n42.6\r\n50\r\n-12.5\r\n10\r\n');
  });

  it('writes a Date by its UTC calendar day and leaves invalid values empty', () => {
    const sheet: Sheet = {
      name: 'd',
      columns: [
        { key: 'd', header: 'd', kind: 'date' },
        { key: 'n', header: 'n', kind: 'number' },
      ],
      rows: [{ d: new Date('2024-03-01T23:30:00Z'), n: Number.NaN }, { d: new Date('invalid'), n: Number.POSITIVE_INFINITY }, { d: 'not a date', n: 'n/a' }, {}],
    };
    expect(toCsv(sheet)).toBe('\uFEFFd,n\r\n2024-03-01,\r\n,\r\nnot a date,n/a\r\n,\r\n');
  });
});
