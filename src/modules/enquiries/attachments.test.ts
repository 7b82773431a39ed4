import { describe, expect, it } from 'vitest';
import { testAppFor } from '../../../test/app.ts';
import { type Part, TestClient } from '../../../test/client.ts';
import { DATABASES } from '../../../test/databases.ts';
import { PENDING_COOKIE } from '../../platform/files/pending.ts';
import { clearRateLimits, ENQUIRY_FIELDS } from './testing.ts';

/** The smallest real PDF a reader accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

const keptIds = (body: string) => [...body.matchAll(/name="attachmentsKept" value="([^"]+)"/g)].map((m) => m[1] as string);
const fields: Part[] = Object.entries(ENQUIRY_FIELDS).map(([name, value]) => ({ name, value }));

describe.each(DATABASES)('an enquiry’s files kept across a refused second step on %s', (kind) => {
  const t = testAppFor(kind, { now: () => new Date('2026-09-30T02:00:00Z') });
  const db = () => t.database.db.kysely;
  const attachedTo = async (enquiryId: number) => (await db().selectFrom('enquiry_attachments').select('file_id').where('enquiry_id', '=', enquiryId).execute()).map((r) => r.file_id);

  it('keeps an anonymous visitor’s files when consent is missing, for that browser only, and sends them with the corrected form', async () => {
    await clearRateLimits(db());
    // Only the pending uploads this test makes: another test's kept files may already be there.
    const earlier = (await db().selectFrom('pending_uploads').select('file_id').execute()).map((r) => r.file_id);
    const pending = () =>
      db()
        .selectFrom('pending_uploads')
        .$if(earlier.length > 0, (q) => q.where('file_id', 'not in', earlier));
    const visitor = new TestClient(t.app);
    const refused = await visitor.postMultipart(
      '/en/enquiries/new',
      [
        ...fields,
        { name: 'intent', value: 'submit' },
        { name: 'attachments', filename: 'permit.pdf', type: 'application/pdf', data: PDF },
        { name: 'attachments', filename: 'passport.pdf', type: 'application/pdf', data: PDF },
      ],
      { from: '/en/enquiries/new' },
    );
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('Tick the box to agree to the personal data statement');
    expect(refused.body).toContain('permit.pdf');
    expect(refused.body).toContain('Kept from your last attempt');
    const [permit, passport] = keptIds(refused.body);
    expect(permit && passport).toBeTruthy();
    // Bound to this browser by a random cookie of its own, of which only the hash is kept.
    const cookie = visitor.cookies.get(PENDING_COOKIE) as string;
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const owners = await pending().select('owner').distinct().execute();
    expect(owners).toHaveLength(1);
    expect(owners[0]?.owner).toMatch(/^browser:[0-9a-f]{64}$/);
    expect(owners[0]?.owner).not.toContain(cookie);

    // Removing one, with the remove button.
    const removed = await visitor.postMultipart(
      '/en/enquiries/new',
      [...fields, { name: 'attachmentsKept', value: permit as string }, { name: 'attachmentsKept', value: passport as string }, { name: 'removeUpload', value: passport as string }],
      { from: '/en/enquiries/new' },
    );
    expect(removed.statusCode).toBe(200);
    expect(keptIds(removed.body)).toEqual([permit]);
    expect(removed.body).not.toContain('passport.pdf');

    // Another visitor who learnt the id sends an enquiry with it: it is not theirs, so nothing is attached.
    const other = new TestClient(t.app);
    const stolen = await other.postMultipart(
      '/en/enquiries/new',
      [...fields, { name: 'consent', value: 'yes' }, { name: 'intent', value: 'submit' }, { name: 'attachmentsKept', value: permit as string }],
      { from: '/en/enquiries/new' },
    );
    expect(stolen.statusCode).toBe(303);
    const theirs = await db().selectFrom('enquiries').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(await attachedTo(theirs.id)).toEqual([]);
    // Nor can they remove it.
    await other.postMultipart('/en/enquiries/new', [...fields, { name: 'attachmentsKept', value: permit as string }, { name: 'removeUpload', value: permit as string }], { from: '/en/enquiries/new' });
    expect(await pending().select('file_id').execute()).toEqual([{ file_id: permit }]);

    // The visitor ticks the box: the kept file goes with the enquiry.
    await clearRateLimits(db());
    const sent = await visitor.postMultipart(
      '/en/enquiries/new',
      [...fields, { name: 'consent', value: 'yes' }, { name: 'intent', value: 'submit' }, { name: 'attachmentsKept', value: permit as string }],
      { from: '/en/enquiries/new' },
    );
    expect(sent.statusCode).toBe(303);
    const mine = await db().selectFrom('enquiries').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(await attachedTo(mine.id)).toEqual([permit]);
    expect(await pending().select('file_id').execute()).toEqual([]);
  });

  it('keeps the good files when one is refused, and counts kept files against the limit of five', async () => {
    await clearRateLimits(db());
    const visitor = new TestClient(t.app);
    const refused = await visitor.postMultipart(
      '/en/enquiries/new',
      [
        ...fields,
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        ...Array.from({ length: 4 }, (_, i) => ({ name: 'attachments', filename: `page-${i}.pdf`, type: 'application/pdf', data: PDF })),
        { name: 'attachments', filename: 'script.pdf', type: 'application/pdf', data: Buffer.from('<html><script>alert(1)</script></html>') },
      ],
      { from: '/en/enquiries/new' },
    );
    expect(refused.body).toContain('Attach PDF files, images');
    const kept = keptIds(refused.body);
    expect(kept).toHaveLength(4);
    const tooMany = await visitor.postMultipart(
      '/en/enquiries/new',
      [
        ...fields,
        { name: 'consent', value: 'yes' },
        { name: 'intent', value: 'submit' },
        ...kept.map((id) => ({ name: 'attachmentsKept', value: id })),
        ...['a', 'b'].map((n) => ({ name: 'attachments', filename: `${n}.pdf`, type: 'application/pdf', data: PDF })),
      ],
      { from: '/en/enquiries/new' },
    );
    expect(tooMany.body).toContain('Attach at most 5 files');
  });
});
