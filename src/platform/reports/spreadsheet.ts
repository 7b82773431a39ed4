/**
 * Tabular reports written as spreadsheets: XLSX (exceljs) and CSV (csv-stringify).
 *
 * A report is a set of sheets, each a list of typed columns and rows keyed by column. The same cell
 * rules hold for both formats:
 * - `null`, a missing key, a non-finite number or an invalid Date is an empty cell;
 * - a Date is a calendar date, read in UTC — as `new Date('2024-03-01')` makes it and as the rest of
 *   the platform prints dates (`toISOString().slice(0, 10)`); a time of day is dropped;
 * - in a `date` column, a 'YYYY-MM-DD' string (how the database hands out `date` values) is a date too;
 * - in a `number` or `percent` column, a plain decimal string (how the database hands out `numeric`
 *   values) is a number too;
 * - a percentage is given as a fraction: 0.425 means 42.5 %.
 */
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';
import { systemClock } from '../clock.ts';

/** One value. A Date is a calendar date (written as a date cell, yyyy-mm-dd). */
type Cell = string | number | Date | null;

export interface Column {
  key: string;
  header: string;
  /** Width in characters; estimated from the header and the values when left out. */
  width?: number;
  /** How values are written; 'text' when left out. A 'percent' value is a fraction (0.425 = 42.5 %). */
  kind?: 'text' | 'number' | 'date' | 'percent';
}

export interface Sheet {
  /** The worksheet's name; made fit for Excel (see `sheetNames`). */
  name: string;
  /** A title written above the table (XLSX only). */
  title?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export interface Workbook {
  title: string;
  subject?: string;
  locale: 'zh-Hant' | 'zh-Hans' | 'en';
  sheets: Sheet[];
  /** A remark on the whole report (sources, caveats); written on a last sheet of its own (XLSX only). */
  note?: string;
  /** When the workbook was made; now when left out (tests fix it). */
  created?: Date;
}

/** Stated as the author of every workbook. */
export const CREATOR = 'Zhejiang–Hong Kong Cooperation Platform';

/** The name of the last sheet that carries the workbook's note. */
const NOTE_SHEET: Record<Workbook['locale'], string> = { 'zh-Hant': '說明', 'zh-Hans': '说明', en: 'About' };

// Excel's limits.
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_TEXT = 32_767;
const MAX_SHEET_NAME = 31;

/** Rows written between two turns of the event loop. */
const YIELD_EVERY = 1_000;

const DATE_FORMAT = 'yyyy-mm-dd';
const PERCENT_FORMAT = '0.0%';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

type Kind = NonNullable<Column['kind']>;
/** A cell as it is written: a finite number, a Date at UTC midnight, a string, or nothing. */
type Value = number | Date | string | null;

/** Reads one cell by the rules in this module's comment. */
function cellValue(cell: Cell | undefined, kind: Kind): Value {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (cell instanceof Date) {
    const time = cell.getTime();
    if (Number.isNaN(time)) return null;
    return new Date(Date.UTC(cell.getUTCFullYear(), cell.getUTCMonth(), cell.getUTCDate()));
  }
  if ((kind === 'number' || kind === 'percent') && DECIMAL.test(cell)) {
    const number = Number(cell);
    if (Number.isFinite(number)) return number;
  }
  if (kind === 'date') {
    const match = ISO_DATE.exec(cell);
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));
      if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return date;
    }
  }
  return cell;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------- names

/**
 * Excel's rules for worksheet names: 1 to 31 characters, none of [ ] : * ? / \, no apostrophe first
 * or last, 'History' reserved, and no two alike ignoring case. Forbidden characters are replaced
 * (/ \ : by '-', [ ] by ( ), * ? by '_'), a long name is cut, and a repeated one gets ' (2)', ' (3)'…
 * within the 31 characters.
 */
export function sheetNames(names: readonly string[]): string[] {
  const taken = new Set<string>(['history']);
  return names.map((raw, index) => {
    const base = cleanSheetName(raw) || `Sheet${index + 1}`;
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const name = cutUtf16(base, MAX_SHEET_NAME - suffix.length).replace(/[\s']+$/u, '') + suffix;
      const folded = name.toLowerCase();
      if (!taken.has(folded)) {
        taken.add(folded);
        return name;
      }
    }
  });
}

function cleanSheetName(raw: string): string {
  return raw
    .replace(/[/\\:]/g, '-')
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/[*?]/g, '_')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
    .replace(/^['\s]+|['\s]+$/gu, '');
}

/** The longest start of `text` of at most `max` UTF-16 units (Excel's count), not splitting a pair. */
function cutUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

// --------------------------------------------------------------------------------------------- widths

/** East Asian wide and fullwidth characters: they take two columns. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** How many character widths a text takes, CJK counting double; for several lines, the longest. */
export function displayWidth(text: string): number {
  let widest = 0;
  let width = 0;
  for (const char of text) {
    if (char === '\n') {
      widest = Math.max(widest, width);
      width = 0;
    } else {
      width += WIDE.test(char) ? 2 : 1;
    }
  }
  return Math.max(widest, width);
}

/** A fraction as Excel shows it in the 0.0% format. */
function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

function estimateWidth(column: Column, kind: Kind, rows: readonly Record<string, Cell>[]): number {
  // The header is bold, and the autofilter's button takes about two characters.
  let widest = Math.ceil(displayWidth(column.header) * 1.1) + 2;
  for (const row of rows) {
    const value = cellValue(row[column.key], kind);
    let width: number;
    if (value === null) continue;
    else if (value instanceof Date) width = 10;
    else if (typeof value === 'number') width = kind === 'percent' ? percentText(value).length + 1 : Math.min(String(value).length, 11);
    else width = value.length > MAX_WIDTH * 2 ? MAX_WIDTH : displayWidth(value);
    if (width > widest) widest = width;
    if (widest >= MAX_WIDTH) break;
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

// ----------------------------------------------------------------------------------------------- XLSX

/**
 * Writes the workbook as XLSX: one worksheet per sheet, each with its title (bold, larger) when it has
 * one, then a bold header row with the panes frozen below it and an autofilter over the table, then the
 * rows. Numbers, percentages (0.0%) and dates (yyyy-mm-dd) are real numeric cells. The note, when
 * there is one, goes on a last sheet of its own ('About', '說明', '说明') and in the document
 * properties' comments, so that the data sheets stay plain tables that sort, filter and re-import cleanly.
 *
 * Written with exceljs's streaming writer: for 3 × 20,000 rows × 10 columns (about 1.7 s, 3.6 MB) it
 * is about 2.5 times as fast as the in-memory workbook and peaks at about a fifth of its memory. It
 * yields to the event loop every thousand rows, so a large report does not stall the server, though
 * the finished file is still held in memory once, as the Buffer returned.
 */
export async function toXlsx(workbook: Workbook): Promise<Buffer> {
  if (workbook.sheets.length === 0) throw new RangeError('A workbook needs at least one sheet.');
  // Checked before anything is written, so that a refusal leaves no half-written zip behind.
  for (const sheet of workbook.sheets) {
    if (sheet.columns.length > MAX_COLUMNS) throw new RangeError(`Sheet "${sheet.name}" has more than ${MAX_COLUMNS} columns.`);
    if ((sheet.title ? 2 : 1) + sheet.rows.length > MAX_ROWS) throw new RangeError(`Sheet "${sheet.name}" has more rows than Excel holds (${MAX_ROWS}).`);
  }
  const sheets: Sheet[] = [...workbook.sheets];
  const note = workbook.note?.trim();
  const names = sheetNames([...sheets.map((sheet) => sheet.name), ...(note ? [NOTE_SHEET[workbook.locale]] : [])]);

  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));

  // Loaded on the first report asked for, not at start (it takes about 0.2 s to load).
  const { default: Excel } = await import('exceljs');
  const book = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  const created = workbook.created ?? systemClock();
  book.creator = CREATOR;
  book.lastModifiedBy = CREATOR;
  book.created = created;
  book.modified = created;
  book.title = workbook.title;
  if (workbook.subject) book.subject = workbook.subject;
  if (note) book.description = note;
  // Not in exceljs's types, but written to docProps/core.xml as dc:language.
  Object.assign(book, { language: workbook.locale });

  for (const [index, sheet] of sheets.entries()) await writeSheet(book, names[index] ?? sheet.name, sheet);
  if (note) writeNoteSheet(book, names[sheets.length] ?? NOTE_SHEET[workbook.locale], workbook, note);

  await book.commit();
  return Buffer.concat(chunks);
}

async function writeSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, name: string, sheet: Sheet): Promise<void> {
  const { columns, rows } = sheet;
  const headerRow = sheet.title ? 2 : 1;

  const kinds = columns.map((column) => column.kind ?? 'text');
  const worksheet = book.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
  });
  // Columns go before the first row: the streaming writer writes them out with it.
  worksheet.columns = columns.map((column, index) => {
    const kind = kinds[index] ?? 'text';
    const numFmt = kind === 'date' ? DATE_FORMAT : kind === 'percent' ? PERCENT_FORMAT : undefined;
    return { width: column.width ?? estimateWidth(column, kind, rows), ...(numFmt ? { style: { numFmt } } : {}) };
  });

  if (sheet.title) {
    const title = worksheet.addRow([sheet.title]);
    title.font = { bold: true, size: 14 };
    title.height = 22;
    title.commit();
  }
  const header = worksheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true };
  header.commit();

  for (const [number, row] of rows.entries()) {
    // Let the server answer other requests, and the zip stream drain, while a long table is written.
    if (number > 0 && number % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const values = columns.map((column, index) => {
      const value = cellValue(row[column.key], kinds[index] ?? 'text');
      // Excel refuses longer texts; cut them rather than write a file it must repair.
      return typeof value === 'string' && value.length > MAX_TEXT ? `${cutUtf16(value, MAX_TEXT - 1)}…` : value;
    });
    const written = worksheet.addRow(values);
    values.forEach((value, index) => {
      // A date outside a date column would otherwise show as a serial number.
      if (value instanceof Date && kinds[index] !== 'date') written.getCell(index + 1).numFmt = DATE_FORMAT;
      // Line breaks show only in wrapped cells.
      else if (typeof value === 'string' && value.includes('\n')) written.getCell(index + 1).alignment = { wrapText: true, vertical: 'top' };
    });
    written.commit();
  }

  if (columns.length > 0) {
    worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + rows.length, column: columns.length } };
  }
  worksheet.commit();
}

function writeNoteSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, name: string, workbook: Workbook, note: string): void {
  const worksheet = book.addWorksheet(name);
  worksheet.columns = [{ width: 100, style: { alignment: { wrapText: true, vertical: 'top' } } }];
  const title = worksheet.addRow([workbook.title]);
  title.font = { bold: true, size: 14 };
  title.height = 22;
  title.commit();
  if (workbook.subject) worksheet.addRow([workbook.subject]).commit();
  worksheet.addRow([]).commit();
  for (const line of note.split(/\r\n|\r|\n/)) worksheet.addRow([line]).commit();
  worksheet.commit();
}

// ------------------------------------------------------------------------------------------------ CSV

/** A fraction as a percentage with at most one decimal: 0.425 → 42.5, 0.5 → 50. */
function percentNumber(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/**
 * Writes one sheet as CSV (RFC 4180): UTF-8 with a byte-order mark so that Excel reads Chinese
 * correctly, CRLF line endings, a header row of the column headers, then the rows; quoted where
 * needed (a comma, a double quote or a line break).
 *
 * Numbers are written plainly (no grouping). A percentage is written in percent, with at most one
 * decimal and no sign: 0.425 → 42.5 — say so in the column's header, e.g. 'Share (%)'. Dates are
 * yyyy-mm-dd; empty cells are empty. A text cell (header included) that starts with = + - @, a tab
 * or a carriage return (or the fullwidth ＝ ＋ － ＠, which Apple Numbers reads as formulas too)
 * gets a leading apostrophe (OWASP, CSV injection), so that a spreadsheet does not run it;
 * numbers are never touched, so -3 stays a number. This is csv-stringify's own `escape_formulas`.
 * The title and the workbook's note are not written: a CSV file is the table alone.
 */
export function toCsv(sheet: Sheet): string {
  const kinds = sheet.columns.map((column) => column.kind ?? 'text');
  const records: (string | number | null)[][] = [sheet.columns.map((column) => column.header)];
  for (const row of sheet.rows) {
    records.push(
      sheet.columns.map((column, index) => {
        const kind = kinds[index] ?? 'text';
        const value = cellValue(row[column.key], kind);
        if (value instanceof Date) return isoDate(value);
        if (typeof value === 'number' && kind === 'percent') return percentNumber(value);
        // Numbers stay numbers here: csv-stringify's formula guard leaves them alone.
        return value;
      }),
    );
  }
  return stringify(records, {
    bom: true,
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify would quote only '\r\n', leaving a lone '\n' or
    // '\r' bare, which spreadsheets read as the end of a record.
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
