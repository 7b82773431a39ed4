import { beforeAll, describe, expect, it } from 'vitest';
import { signedInClient, testAppFor } from '../../../test/app.ts';
import { type Part, TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import type { EnquiryEventKind } from './tables.ts';
import { PENDING_COOKIE } from '../../platform/files/pending.ts';
import { clearRateLimits, sendEnquiry } from './testing.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const pdf = (filename: string): Part => ({ name: 'attachments', filename, type: 'application/pdf', data: PDF });
const kept = (id: string): Part => ({ name: 'attachmentsKept', value: id });

const keptIds = (body: string) => [...body.matchAll(/name="attachmentsKept" value="([^"]+)"/g)].map((m) => m[1] as string);
const versionOn = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1] ?? '';

describe.each(DATABASES)('the files of a refused reply on a case, kept and sent with the corrected one, on %s', (kind) => {
  const t = testAppFor(kind, { now: () => new Date('2026-09-30T02:00:00Z') });
  const db = () => t.database.db.kysely;
  /** The files attached to a case's newest timeline entry of a kind, by name. */
  const filesOfLast = async (enquiryId: number, eventKind: EnquiryEventKind) => {
    const event = await db().selectFrom('enquiry_events').select('id').where('enquiry_id', '=', enquiryId).where('kind', '=', eventKind).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const rows = await db()
      .selectFrom('enquiry_attachments as a')
      .innerJoin('files as f', 'f.id', 'a.file_id')
      .select(['f.id', 'f.name'])
      .where('a.event_id', '=', event.id)
      .orderBy('f.name')
      .execute();
    return rows;
  };
  const pendingIds = async () => (await db().selectFrom('pending_uploads').select('file_id').orderBy('file_id').execute()).map((r) => r.file_id);
  let officer: TestClient;
  let colleague: TestClient;

  beforeAll(async () => {
    officer = (await signedInClient(t, { email: 'reply-files-officer@example.org', role: 'agency-officer', organisationId: 'zj-hkmao', locale: 'zh-Hans' })).client;
    colleague = (await signedInClient(t, { email: 'reply-files-colleague@example.org', role: 'agency-officer', organisationId: 'zj-hkmao', locale: 'en' })).client;
  });

  it('keeps an officer’s files when the reply is refused, removes one on request, lets no colleague use them, and sends the rest with the corrected reply', async () => {
    const enquiry = await sendEnquiry(new TestClient(t.app), db());
    const from = `/zh-hans/workspace/enquiries/${enquiry.id}`;
    const url = `${from}/reply`;
    const version = versionOn((await officer.get(from)).body);

    // No message: refused, and both files shown again with their remove buttons.
    const refused = await officer.postMultipart(url, [{ name: 'version', value: version }, { name: 'body', value: '' }, pdf('居住证申请表.pdf'), pdf('checklist.pdf')], { from });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('以下文件已从上次提交保留');
    expect(refused.body).toContain('居住证申请表.pdf');
    expect(refused.body).toContain('checklist.pdf');
    const [form, checklist] = keptIds(refused.body);
    expect(form && checklist).toBeTruthy();
    expect(refused.body).toContain(`name="removeUpload" value="${form}"`);
    expect(await db().selectFrom('enquiry_events').select('id').where('enquiry_id', '=', enquiry.id).where('kind', '=', 'reply').execute()).toEqual([]);
    expect(await pendingIds()).toEqual([form, checklist].sort());

    // The remove button: the form comes back without that file, which is deleted; what was typed stays.
    const removed = await officer.postMultipart(
      url,
      [{ name: 'version', value: version }, { name: 'body', value: '请带回乡证。' }, kept(form as string), kept(checklist as string), { name: 'removeUpload', value: form as string }],
      { from },
    );
    expect(removed.statusCode).toBe(200);
    expect(keptIds(removed.body)).toEqual([checklist]);
    expect(removed.body).not.toContain('居住证申请表.pdf');
    expect(removed.body).toContain('请带回乡证。');
    expect(
      await db()
        .selectFrom('files')
        .select('id')
        .where('id', '=', form as string)
        .execute(),
    ).toEqual([]);

    // A colleague of the same agency who learnt the id replies with it: it is not theirs, nothing is attached.
    const stolen = await colleague.postMultipart(
      `/en/workspace/enquiries/${enquiry.id}/reply`,
      [{ name: 'version', value: version }, { name: 'body', value: 'See the attachment.' }, kept(checklist as string)],
      { from: `/en/workspace/enquiries/${enquiry.id}` },
    );
    expect(stolen.statusCode).toBe(303);
    expect(await filesOfLast(enquiry.id, 'reply')).toEqual([]);
    expect(await pendingIds()).toEqual([checklist]);

    // The corrected reply brings the kept file and a new one.
    const now = versionOn((await officer.get(from)).body);
    const sent = await officer.postMultipart(url, [{ name: 'version', value: now }, { name: 'body', value: '请带回乡证。' }, kept(checklist as string), pdf('map.pdf')], { from });
    expect(sent.statusCode).toBe(303);
    const attached = await filesOfLast(enquiry.id, 'reply');
    expect(attached.map((f) => f.name)).toEqual(['checklist.pdf', 'map.pdf']);
    expect(attached.map((f) => f.id)).toContain(checklist);
    expect(await pendingIds()).toEqual([]);
  });

  it('keeps a citizen’s files when the answer at /track is refused, for that browser only, and sends them with the corrected answer', async () => {
    const citizen = new TestClient(t.app);
    const enquiry = await sendEnquiry(citizen, db(), { locale: 'en' });
    const other = new TestClient(t.app);
    const theirs = await sendEnquiry(other, db(), { locale: 'en' });
    const version = versionOn((await citizen.get('/en/track/case')).body);

    await clearRateLimits(db());
    const refused = await citizen.postMultipart('/en/track/case/reply', [{ name: 'version', value: version }, { name: 'body', value: '' }, pdf('lease.pdf'), pdf('payslip.pdf')], {
      from: '/en/track/case',
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('Kept from your last attempt');
    expect(refused.body).toContain('lease.pdf');
    const [lease, payslip] = keptIds(refused.body);
    expect(lease && payslip).toBeTruthy();
    expect(refused.body).toContain(`name="removeUpload" value="${payslip}"`);
    // Bound to this browser by a cookie of its own (the /track session is not who the files belong to).
    expect(citizen.cookies.get(PENDING_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await pendingIds()).toEqual([lease, payslip].sort());

    const removed = await citizen.postMultipart(
      '/en/track/case/reply',
      [{ name: 'version', value: version }, { name: 'body', value: 'Here is my lease.' }, kept(lease as string), kept(payslip as string), { name: 'removeUpload', value: payslip as string }],
      { from: '/en/track/case' },
    );
    expect(removed.statusCode).toBe(200);
    expect(keptIds(removed.body)).toEqual([lease]);
    expect(removed.body).not.toContain('payslip.pdf');
    expect(removed.body).toContain('Here is my lease.');

    // Another citizen, on their own case, cannot attach it nor remove it.
    await clearRateLimits(db());
    const otherVersion = versionOn((await other.get('/en/track/case')).body);
    await other.postMultipart(
      '/en/track/case/reply',
      [{ name: 'version', value: otherVersion }, { name: 'body', value: '' }, kept(lease as string), { name: 'removeUpload', value: lease as string }],
      { from: '/en/track/case' },
    );
    const stolen = await other.postMultipart('/en/track/case/reply', [{ name: 'version', value: otherVersion }, { name: 'body', value: 'Mine too.' }, kept(lease as string)], {
      from: '/en/track/case',
    });
    expect(stolen.statusCode).toBe(303);
    expect(await filesOfLast(theirs.id, 'citizen-reply')).toEqual([]);
    expect(await pendingIds()).toEqual([lease]);

    // The corrected answer brings the kept file.
    await clearRateLimits(db());
    const sent = await citizen.postMultipart('/en/track/case/reply', [{ name: 'version', value: version }, { name: 'body', value: 'Here is my lease.' }, kept(lease as string)], {
      from: '/en/track/case',
    });
    expect(sent.statusCode).toBe(303);
    expect((await filesOfLast(enquiry.id, 'citizen-reply')).map((f) => f.id)).toEqual([lease]);
    expect(await pendingIds()).toEqual([]);
  });
});
