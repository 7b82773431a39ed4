import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { SYSTEM } from '../../platform/audit/audit.ts';
import type { EventQuestion } from './tables.ts';
import type { EventRecord } from './queries/events.ts';
import { findOccurrence, type Occurrence } from './queries/occurrences.ts';
import { findRegistration } from './queries/registrations.ts';
import { registerForEvent } from './register-for-event.ts';
import { mailSettings, makeEvent, makePerson } from './testing.ts';

/** Before the first date (2027-01-15 14:30 in Hangzhou, 06:30 UTC). */
const BEFORE = new Date('2026-12-01T02:00:00Z');
/** During the first date. */
const DURING = new Date('2027-01-15T07:00:00Z');

const QUESTIONS: EventQuestion[] = [
  { key: 'q1', label: { 'zh-Hant': '企業名稱', 'zh-Hans': '企业名称', en: 'Name of your enterprise' }, kind: 'text', required: true },
  {
    key: 'q2',
    label: { 'zh-Hant': '行業', en: 'Sector' },
    kind: 'choice',
    options: [
      { 'zh-Hant': '金融', en: 'Finance' },
      { 'zh-Hant': '貿易', en: 'Trade' },
    ],
    required: false,
  },
  { key: 'q3', label: { 'zh-Hant': '是否出席午宴', en: 'Staying for lunch?' }, kind: 'yes-no', required: false },
];

/** A minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe.each(DATABASES)('registrations, check-in and report on %s', (kind) => {
  let clock = BEFORE;
  const t = testAppFor(kind, { now: () => clock });
  const db = () => t.database.db.kysely;
  const officer = (label: string, organisationId = 'zj-commerce') => signedInClient(t, { email: `${label}@example.org`, role: 'agency-officer', organisationId });
  /** The audit records of one action on the entities named (the app's database is shared by the tests of this block). */
  const audits = (action: string, entities: string[]) => db().selectFrom('audit_events').selectAll().where('action', '=', action).where('entity_id', 'in', entities).orderBy('id').execute();

  async function register(event: EventRecord, occurrence: Occurrence, label: string, answers: Record<string, string> = {}, locale: 'zh-Hant' | 'zh-Hans' | 'en' = 'en') {
    const person = await makePerson(db(), label, locale);
    const result = await registerForEvent({ db: db(), event, occurrence, user: person, locale, answers, actor: SYSTEM, now: BEFORE, year: 2026, mail: await mailSettings(db()) });
    if (!result.ok) throw new Error(result.error);
    return (await findRegistration(db(), result.reference)) as NonNullable<Awaited<ReturnType<typeof findRegistration>>>;
  }
  const first = (occurrences: Occurrence[]) => occurrences[0] as Occurrence;

  it('lists a date’s registrations with counts and answers, filters by state, and approves or rejects pending ones (a reason required)', async () => {
    clock = BEFORE;
    const { client } = await officer('agency-officer-list');
    const other = (await officer('agency-officer-inbox', 'hk-cmab')).client;
    // What waits for the organisers' approval is counted in their workspace's inbox (the block's other tests may have left some).
    const waiting = async (who: TestClient) => Number((await who.get('/en/workspace')).body.match(/(\d+) registrations? waiting for your approval/)?.[1] ?? 0);
    const before = await waiting(client);
    const { event, occurrences } = await makeEvent(db(), { capacity: 1, requiresApproval: true, questions: QUESTIONS });
    const o = first(occurrences);
    const a = await register(event, o, 'resident-a', { q1: 'Example Trading Ltd', q2: '1', q3: 'yes' });
    const b = await register(event, o, 'resident-b', { q1: 'Harbour Finance Ltd', q2: '0', q3: 'no' }, 'zh-Hant');
    const c = await register(event, o, 'resident-c', { q1: 'West Lake Tea Co.' });
    expect(await waiting(client)).toBe(before + 3);
    expect((await client.get('/zh-hant/workspace')).body).toContain(`${before + 3} 項活動報名待你審批`);
    expect(await waiting(other)).toBe(0);
    const path = `/en/workspace/events/${event.reference}/${o.slot}/registrations`;

    const page = await client.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Registrations: Symposium for Hong Kong-invested enterprises, 15 January 2027');
    for (const text of ['resident-a@example.org', 'Example Trading Ltd', 'Trade', 'Yes', 'Harbour Finance Ltd', 'Finance', 'Name of your enterprise', 'Staying for lunch?'])
      expect(page.body).toContain(text);
    expect(page.body).toContain('0 of 1 places taken; 0 on the waitlist.');
    expect(page.body).toMatch(/<strong>3<\/strong> Awaiting approval/);
    expect(page.body.match(/name="decision" value="approve"/g)).toHaveLength(3);

    // Rejecting needs a reason: the list comes back with the error beside that registration, and nothing moves.
    const decide = (r: { reference: string }, fields: Record<string, string>) => client.post(`${path}/${r.reference}/decide`, fields, { from: path });
    const noReason = await decide(c, { decision: 'reject', reason: '  ' });
    expect(noReason.statusCode).toBe(200);
    expect(noReason.body).toContain('class="error-summary"');
    expect(noReason.body).toContain(`id="reason-${c.reference}-error"`);
    expect((await findRegistration(db(), c.reference))?.state).toBe('pending');

    const approved = await decide(a, { decision: 'approve', reason: '' });
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`${path}?done=confirmed&registration=${a.reference}`);
    expect((await client.get(approved.headers.location as string)).body).toContain('resident-a’s registration is approved and confirmed.');
    // The one place is taken: the next approval goes to the waitlist.
    expect((await decide(b, { decision: 'approve', reason: '' })).headers.location).toContain('done=waitlisted');
    expect((await decide(c, { decision: 'reject', reason: 'For enterprises registered in Zhejiang only.', confirm: 'yes' })).statusCode).toBe(303);
    expect([(await findRegistration(db(), a.reference))?.state, (await findRegistration(db(), b.reference))?.state, (await findRegistration(db(), c.reference))?.state]).toEqual([
      'confirmed',
      'waitlisted',
      'rejected',
    ]);
    expect(await waiting(client)).toBe(before);
    // Decided once, a registration is not decided again.
    const twice = await decide(c, { decision: 'approve', reason: '' });
    expect(twice.body).toContain('This registration has already been decided');

    const filtered = await client.get(`${path}?state=rejected`);
    expect(filtered.body).toContain(c.reference);
    expect(filtered.body).not.toContain(a.reference);
    expect(filtered.body).toContain('For enterprises registered in Zhejiang only.');

    const hant = await client.get(`/zh-hant/workspace/events/${event.reference}/${o.slot}/registrations`);
    expect(hant.body).toContain('報名名單：港資企業座談會');
    expect(hant.body).toContain('貿易');
    expect(hant.body).toContain('是否出席午宴');
  });

  it('exports the list as XLSX and CSV that read back, with the questions in the export’s language, and audits each export', async () => {
    clock = BEFORE;
    const { event, occurrences } = await makeEvent(db(), { questions: QUESTIONS });
    const o = first(occurrences);
    const a = await register(event, o, 'resident-x', { q1: 'Example Trading Ltd', q2: '1', q3: 'yes' });
    const b = await register(event, o, 'resident-y', { q1: 'Quote "and", comma Ltd' }, 'zh-Hans');
    const { client } = await officer('agency-officer-export');
    const base = `/workspace/events/${event.reference}/${o.slot}/registrations`;

    const xlsx = await client.get(`/en${base}.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toBe(`attachment; filename="registrations-${event.reference}-${o.slot}-en.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('Registrations');
    // A title row, then the header, then one row per registration.
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(2)).toEqual(['Reference', 'Name', 'Email', 'Language', 'State', 'Registered at', 'Checked in at', 'Name of your enterprise', 'Sector', 'Staying for lunch?']);
    expect(values(3)).toEqual([a.reference, 'resident-x', 'resident-x@example.org', 'English', 'Confirmed', '2026-12-01 10:00', undefined, 'Example Trading Ltd', 'Trade', 'Yes']);
    expect(values(4).slice(0, 5)).toEqual([b.reference, 'resident-y', 'resident-y@example.org', '简体中文', 'Confirmed']);
    expect(sheet.rowCount).toBe(4);

    const csv = await client.get(`/zh-hant${base}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="registrations-${event.reference}-${o.slot}-zh-hant.csv"`);
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual(['參考編號', '姓名', '電郵', '語言', '狀態', '報名時間', '簽到時間', '企業名稱', '行業', '是否出席午宴']);
    expect(rows.slice(1).map((r) => [r[0], r[4], r[7], r[8], r[9]])).toEqual([
      [a.reference, '已確認', 'Example Trading Ltd', '貿易', '是'],
      [b.reference, '已確認', 'Quote "and", comma Ltd', '', ''],
    ]);
    // Filtered by state, the export holds only those.
    expect(parseCsv((await client.get(`/en${base}.csv?state=waitlisted`)).body)).toHaveLength(1);

    const exported = await audits('event.registrations.exported', [`${event.reference}/${o.slot}`]);
    expect(exported.map((e) => [e.entity_id, (e.changes as Record<string, { after: unknown }>).format?.after, (e.changes as Record<string, { after: unknown }>).rows?.after])).toEqual([
      [`${event.reference}/${o.slot}`, 'xlsx', 2],
      [`${event.reference}/${o.slot}`, 'csv', 2],
      [`${event.reference}/${o.slot}`, 'csv', 0],
    ]);
  });

  it('checks people in by code at the door: lower case with spaces, twice, not confirmed, another date or event, unknown; and undoes a mistake', async () => {
    clock = BEFORE;
    const { event, occurrences } = await makeEvent(db(), { capacity: 2 });
    const [o, second] = occurrences as [Occurrence, Occurrence];
    const a = await register(event, o, 'resident-door-a');
    const b = await register(event, o, 'resident-door-b');
    const waiting = await register(event, o, 'resident-door-c');
    expect(waiting.state).toBe('waitlisted');
    const later = await register(event, second, 'resident-door-d');
    const other = await makeEvent(db());
    const elsewhere = await register(other.event, first(other.occurrences), 'resident-door-e');

    clock = DURING;
    const { client, userId } = await officer('agency-officer-door');
    const path = `/en/workspace/events/${event.reference}/${o.slot}/check-in`;
    const door = await client.get(path);
    expect(door.statusCode).toBe(200);
    // A phone keyboard in capitals, without corrections or suggestions.
    expect(door.body).toMatch(/<input id="field-code" name="code" type="text" value(="")? inputmode="text" autocapitalize="characters" autocomplete="off" autocorrect="off" spellcheck="false"/);
    expect(door.body).toContain('0 of 2 checked in');

    // Typed in lower case, with a space and a dash.
    const typed = `${a.checkInCode.slice(0, 4).toLowerCase()} -${a.checkInCode.slice(4).toLowerCase()}`;
    const done = await client.post(path, { code: typed });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${path}?done=${a.reference}`);
    const success = await client.get(done.headers.location as string);
    expect(success.body).toContain('✓ Checked in');
    expect(success.body).toContain('resident-door-a');
    expect(success.body).toContain('1 of 2 checked in');
    const checked = await db().selectFrom('event_registrations').select(['state', 'checked_in_at', 'checked_in_by']).where('reference', '=', a.reference).executeTakeFirstOrThrow();
    expect([checked.state, checked.checked_in_at?.toISOString(), checked.checked_in_by]).toEqual(['attended', DURING.toISOString(), userId]);
    expect((await audits('event.registration.checked-in', [a.reference, b.reference])).map((e) => e.entity_id)).toEqual([a.reference]);

    const attempt = async (code: string) => {
      const page = await client.post(path, { code });
      expect(page.statusCode).toBe(200);
      return page.body;
    };
    expect(await attempt(a.checkInCode)).toMatch(/resident-door-a \(\w{8}\) is already checked in, since 15 Jan 2027, 15:00\./);
    expect(await attempt(waiting.checkInCode)).toContain('their registration is “On the waitlist”, not confirmed.');
    expect(await attempt(later.checkInCode)).toContain(`is for the date 15 April 2027 of this event, not this one.`);
    expect(await attempt(elsewhere.checkInCode)).toContain('is for another event.');
    const unknown = await attempt('ZZZZ2222');
    expect(unknown).toContain('No registration has the code ZZZZ2222.');
    expect(unknown).toContain('value="ZZZZ2222"');
    expect(await attempt('abc')).toContain('“ABC” is not a check-in code');
    expect(await attempt('  ')).toContain('Type the code first');
    expect((await findRegistration(db(), waiting.reference))?.state).toBe('waitlisted');
    expect((await findRegistration(db(), later.reference))?.state).toBe('confirmed');

    // A mistaken check-in is undone from the page: confirmed again, without the time.
    await client.post(path, { code: b.checkInCode });
    expect((await client.get(path)).body).toContain('2 of 2 checked in');
    const undone = await client.post(`${path}/undo`, { registration: b.reference }, { from: path });
    expect(undone.statusCode).toBe(303);
    const after = await client.get(undone.headers.location as string);
    expect(after.body).toContain('The check-in of resident-door-b is undone');
    expect(after.body).toContain('1 of 2 checked in');
    const restored = await findRegistration(db(), b.reference);
    expect([restored?.state, restored?.checkedInAt]).toEqual(['confirmed', null]);
    expect((await audits('event.registration.check-in-undone', [a.reference, b.reference])).map((e) => e.entity_id)).toEqual([b.reference]);
    // Undoing what is not checked in says so.
    expect((await client.post(`${path}/undo`, { registration: b.reference }, { from: path })).body).toContain('This registration is not checked in');

    // The same page in Chinese, for the door staff.
    const hans = await client.get(`/zh-hans/workspace/events/${event.reference}/${o.slot}/check-in`);
    expect(hans.body).toContain('已签到 1 人（共 2 人）');
  });

  it('opens a registration’s QR code URL on the organiser’s phone: who it is, and one button to check them in', async () => {
    clock = BEFORE;
    const { event, occurrences } = await makeEvent(db());
    const o = first(occurrences);
    const r = await register(event, o, 'resident-qr');
    clock = DURING;
    const { client } = await officer('agency-officer-qr');
    // The URL the QR code carries (see emails.ts checkInUrl).
    const url = `/en/workspace/events/check-in?code=${r.checkInCode}`;
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Check in resident-qr?</h1>');
    expect(page.body).toContain('Symposium for Hong Kong-invested enterprises');
    expect(page.body).toContain(`action="/en/workspace/events/${event.reference}/${o.slot}/check-in"`);
    expect(page.body).toContain(`name="code" value="${r.checkInCode}"`);
    const done = await client.post(`/en/workspace/events/${event.reference}/${o.slot}/check-in`, { code: r.checkInCode }, { from: url });
    expect(done.statusCode).toBe(303);
    expect((await findRegistration(db(), r.reference))?.state).toBe('attended');
    // Scanned again: it says when, and offers no second check-in.
    const again = await client.get(`/en/workspace/events/check-in?code=${r.checkInCode.toLowerCase()}`);
    expect(again.body).toContain('is already checked in, since');
    expect(again.body).not.toContain(`name="code" value="${r.checkInCode}"`);
    // No code, a bad one, an unknown one: the box to type it, with the problem.
    expect((await client.get('/en/workspace/events/check-in')).body).toContain('<h1>Check in by code</h1>');
    expect((await client.get('/en/workspace/events/check-in?code=22')).body).toContain('is not a check-in code');
    expect((await client.get('/en/workspace/events/check-in?code=ZZZZ2222')).body).toContain('No registration has the code ZZZZ2222.');
    // An officer of another agency may use the page, but not on this event's registrations.
    const { client: stranger } = await officer('agency-officer-qr-other', 'hk-fstb');
    expect((await stranger.get(url)).statusCode).toBe(403);
    const { client: resident } = await signedInClient(t, { email: 'resident-qr-scan@example.org', role: 'resident' });
    expect((await resident.get(url)).statusCode).toBe(403);
  });

  it('records attendance and a short report only once the date has started, defaulting to those checked in, and audits it', async () => {
    clock = BEFORE;
    const { event, occurrences } = await makeEvent(db());
    const o = first(occurrences);
    const people = [await register(event, o, 'resident-rep-a'), await register(event, o, 'resident-rep-b')];
    const { client, userId } = await officer('agency-officer-report');
    const path = `/en/workspace/events/${event.reference}/${o.slot}/report`;

    const early = await client.get(path);
    expect(early.statusCode).toBe(200);
    expect(early.body).toContain('can be recorded once the event has started');
    expect(early.body).not.toContain('name="attendance"');
    const refused = await client.post(path, { attendance: '40', reportEn: 'Too early.' }, { from: `/en/workspace/events/${event.reference}/${o.slot}/check-in` });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('can be recorded once the event has started');
    expect((await findOccurrence(db(), event.id, o.slot))?.reportedAt).toBeNull();

    clock = DURING;
    for (const p of people) await client.post(`/en/workspace/events/${event.reference}/${o.slot}/check-in`, { code: p.checkInCode });
    const form = await client.get(path);
    expect(form.body).toMatch(/name="attendance" type="text" value="2" inputmode="numeric"/);
    expect(form.body).toContain('2 checked in at the door.');

    const bad = await client.post(path, { attendance: '4.5', reportHant: '', reportHans: '', reportEn: '' });
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('Enter the number of people, a whole number like 45');
    expect(bad.body).toContain('Enter this in at least one language');
    expect(bad.body).toContain('value="4.5"');

    const saved = await client.post(path, { attendance: '46', reportHant: '', reportHans: '与会企业就跨境投资便利化提出建议。', reportEn: 'Enterprises raised cross-border investment facilitation.' });
    expect(saved.statusCode).toBe(303);
    expect((await client.get(saved.headers.location as string)).body).toContain('The attendance and report are saved');
    const recorded = await findOccurrence(db(), event.id, o.slot);
    expect([recorded?.attendance, recorded?.report, recorded?.reportedAt?.toISOString()]).toEqual([
      46,
      { 'zh-Hans': '与会企业就跨境投资便利化提出建议。', en: 'Enterprises raised cross-border investment facilitation.' },
      DURING.toISOString(),
    ]);
    const row = await db().selectFrom('event_occurrences').select('reported_by').where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row.reported_by).toBe(userId);
    const [entry] = await audits('event.occurrence.reported', [`${event.reference}/${o.slot}`]);
    expect(entry?.entity_id).toBe(`${event.reference}/${o.slot}`);
    expect((entry?.changes as Record<string, { before: unknown; after: unknown }>).attendance).toEqual({ before: null, after: 46 });
    // Shown again as recorded.
    expect((await client.get(path)).body).toContain('value="46"');
  });

  it('refuses every route of registrations, check-in and report to an officer of another agency (403), and opens them to a coordinator', async () => {
    clock = DURING;
    const { event, occurrences } = await makeEvent(db(), { startsLocal: '2027-01-10T10:00', rrule: null, capacity: 5, requiresApproval: true });
    const o = first(occurrences);
    const person = await makePerson(db(), 'resident-forbidden');
    const r = await registerForEvent({ db: db(), event, occurrence: o, user: person, locale: 'en', answers: {}, actor: SYSTEM, now: BEFORE, year: 2026, mail: await mailSettings(db()) });
    const reference = r.ok ? r.reference : '';
    const base = `/en/workspace/events/${event.reference}/${o.slot}`;
    const { client: other } = await officer('agency-officer-elsewhere', 'hk-fstb');
    for (const url of [`${base}/registrations`, `${base}/registrations.xlsx`, `${base}/registrations.csv`, `${base}/check-in`, `${base}/report`])
      expect([url, (await other.get(url)).statusCode]).toEqual([url, 403]);
    // Forms taken from a page the officer may see, posted at this event: refused too, and nothing changes.
    const from = '/en/workspace/events/check-in';
    for (const [url, fields] of [
      [`${base}/registrations/${reference}/decide`, { decision: 'approve', reason: '' }],
      [`${base}/check-in`, { code: 'ABCD2345' }],
      [`${base}/check-in/undo`, { registration: reference }],
      [`${base}/report`, { attendance: '3', reportEn: 'Not mine.' }],
    ] as const)
      expect([url, (await other.post(url, fields, { from })).statusCode]).toEqual([url, 403]);
    expect((await findRegistration(db(), reference))?.state).toBe('pending');
    expect(await audits('event.registrations.exported', [`${event.reference}/${o.slot}`])).toHaveLength(0);

    const { client: coordinator } = await signedInClient(t, { email: 'custodian-coordinator-attendance@example.org', role: 'custodian-coordinator', organisationId: 'hk-cmab' });
    for (const url of [`${base}/registrations`, `${base}/check-in`, `${base}/report`]) expect((await coordinator.get(url)).statusCode).toBe(200);
    const { client: resident } = await signedInClient(t, { email: 'resident-attendance@example.org', role: 'resident' });
    expect((await resident.get(`${base}/registrations`)).statusCode).toBe(403);
    // Someone not signed in is sent to sign in first.
    const anonymous = await new TestClient(t.app).get(`${base}/registrations`);
    expect([anonymous.statusCode, anonymous.headers.location]).toEqual([303, expect.stringContaining('/en/login')]);
  });
});
