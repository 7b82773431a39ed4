import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../../test/smtp.ts';
import { attachmentOptions, createTransport, parseSmtpUrl } from './transport.ts';

describe('parseSmtpUrl', () => {
  it('reads a submission server with credentials, requiring STARTTLS', () => {
    expect(parseSmtpUrl('smtp://mailer:s3cret@smtp.example.org:587')).toEqual({
      host: 'smtp.example.org',
      port: 587,
      secure: false,
      requireTls: true,
      user: 'mailer',
      password: 's3cret',
    });
  });

  it('reads smtps:// as TLS from the start, on 465 unless told otherwise', () => {
    expect(parseSmtpUrl('smtps://mailer:pw@smtp.example.org')).toEqual({ host: 'smtp.example.org', port: 465, secure: true, user: 'mailer', password: 'pw' });
    expect(parseSmtpUrl('smtps://smtp.example.org:2465')).toEqual({ host: 'smtp.example.org', port: 2465, secure: true });
  });

  it('reads a local relay without credentials, on 587 unless told otherwise', () => {
    expect(parseSmtpUrl('smtp://localhost')).toEqual({ host: 'localhost', port: 587, secure: false });
    expect(parseSmtpUrl('smtp://127.0.0.1:25')).toEqual({ host: '127.0.0.1', port: 25, secure: false });
    expect(parseSmtpUrl('smtp://[::1]:2525')).toEqual({ host: '::1', port: 2525, secure: false });
  });

  it('decodes a percent-encoded user and password', () => {
    expect(parseSmtpUrl('smtp://noreply%40zjhk.example.org:p%40ss%3Aw%2Frd@smtp.example.org')).toMatchObject({
      user: 'noreply@zjhk.example.org',
      password: 'p@ss:w/rd',
    });
  });

  it('refuses what is not an SMTP server address, saying why', () => {
    expect(() => parseSmtpUrl('smtp.example.org:587')).toThrow(/must start with smtp:\/\/ or smtps:\/\//);
    expect(() => parseSmtpUrl('not a url')).toThrow(/is not a valid URL/);
    expect(() => parseSmtpUrl('https://smtp.example.org')).toThrow(/must start with smtp:\/\/ or smtps:\/\/ \(got "https:\/\/"\)/);
    expect(() => parseSmtpUrl('smtp://smtp.example.org/inbox')).toThrow(/without a path or query/);
    expect(() => parseSmtpUrl('smtp://:secret@smtp.example.org')).toThrow(/password but no user/);
  });
});

const ics = (method: string, uid: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ZJHK//Events//EN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261126T090000Z',
    'DTSTART:20261210T020000Z',
    'SUMMARY:交流會',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('attachmentOptions', () => {
  it('sends a single calendar file as the invitation, taking the method from the content type, else from the file', () => {
    const content = ics('CANCEL', 'event-1@zjhk');
    expect(attachmentOptions([{ filename: 'event.ics', contentType: 'text/calendar; method=request', content }])).toEqual({
      icalEvent: { filename: 'event.ics', content, method: 'REQUEST' },
    });
    expect(attachmentOptions([{ filename: 'cancel.ics', contentType: 'TEXT/Calendar', content: Buffer.from(content) }])).toEqual({
      icalEvent: { filename: 'cancel.ics', content: Buffer.from(content), method: 'CANCEL' },
    });
    const plain = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    expect(attachmentOptions([{ filename: 'calendar.ics', contentType: 'text/calendar', content: plain }])).toEqual({ icalEvent: { filename: 'calendar.ics', content: plain } });
  });

  it('attaches everything else as it is, and nothing when there is nothing', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    expect(attachmentOptions(undefined)).toEqual({});
    expect(attachmentOptions([])).toEqual({});
    expect(
      attachmentOptions([
        { filename: 'qr.png', contentType: 'image/png', content: png, cid: 'qr@zjhk' },
        { filename: 'notes.txt', contentType: 'text/plain; charset=utf-8', content: '備註' },
      ]),
    ).toEqual({
      attachments: [
        { filename: 'qr.png', contentType: 'image/png', content: png, cid: 'qr@zjhk' },
        { filename: 'notes.txt', contentType: 'text/plain; charset=utf-8', content: '備註' },
      ],
    });
    // A content type that merely starts like a calendar's is not one.
    expect(attachmentOptions([{ filename: 'x.cal', contentType: 'text/calendarx', content: 'x' }])).toEqual({ attachments: [{ filename: 'x.cal', contentType: 'text/calendarx', content: 'x' }] });
  });
});

describe('createTransport', () => {
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('sends a message in the recipient’s language through a real SMTP server', async () => {
    server = await startSmtpServer();
    const transport = createTransport({ host: server.host, port: server.port, secure: false, from: '"浙港合作平台" <noreply@zjhk.example.org>' });
    const { messageId } = await transport.send({
      to: 'resident@example.org',
      subject: '您的諮詢已收到',
      text: '參考編號 ENQ-2026-000123。',
      html: '<p>參考編號 <strong>ENQ-2026-000123</strong>。</p>',
      locale: 'zh-Hant',
    });
    const [mail] = await server.waitFor(1);
    expect(mail?.envelope).toEqual({ from: 'noreply@zjhk.example.org', to: ['resident@example.org'] });
    expect(mail?.parsed.messageId).toBe(messageId);
    expect(mail?.parsed.from?.value).toEqual([{ name: '浙港合作平台', address: 'noreply@zjhk.example.org' }]);
    expect(mail?.parsed.subject).toBe('您的諮詢已收到');
    expect(mail?.parsed.text?.trim()).toBe('參考編號 ENQ-2026-000123。');
    expect(mail?.parsed.html).toContain('<strong>ENQ-2026-000123</strong>');
    expect(mail?.parsed.headers.get('content-language')).toBe('zh-Hant');
    transport.close();
  });

  it('sends one .ics as an invitation calendar clients recognise, beside an inline image', async () => {
    server = await startSmtpServer();
    const transport = createTransport({ host: server.host, port: server.port, secure: false, from: 'noreply@zjhk.example.org' });
    const invitation = ics('REQUEST', 'event-7@zjhk');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await transport.send({
      to: 'resident@example.org',
      subject: 'Registration confirmed',
      text: 'You are registered.',
      html: '<p>You are registered.</p><img src="cid:qr@zjhk">',
      locale: 'en',
      attachments: [
        { filename: 'invitation.ics', contentType: 'text/calendar; method=REQUEST', content: Buffer.from(invitation, 'utf8') },
        { filename: 'qr.png', contentType: 'image/png', content: png, cid: 'qr@zjhk' },
      ],
    });
    const [mail] = await server.waitFor(1);
    const raw = mail?.raw.toString('utf8') ?? '';
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST$/m);
    expect(raw).toMatch(/^Content-Disposition: attachment; filename=invitation\.ics$/m);
    expect(raw).toMatch(/^Content-ID: <qr@zjhk>$/m);
    const parts = mail?.parsed.attachments ?? [];
    expect(parts.map((a) => [a.contentType, a.filename])).toEqual([
      ['image/png', 'qr.png'],
      ['text/calendar', undefined],
      ['application/ics', 'invitation.ics'],
    ]);
    expect(parts[0]?.content.equals(png)).toBe(true);
    expect(parts[1]?.content.toString('utf8')).toBe(invitation);
    expect(parts[2]?.content.toString('utf8')).toBe(invitation);
    transport.close();
  });

  it('attaches several .ics files as plain files, none of them taken for the invitation', async () => {
    server = await startSmtpServer();
    const transport = createTransport({ host: server.host, port: server.port, secure: false, from: 'noreply@zjhk.example.org' });
    const first = ics('PUBLISH', 'event-1@zjhk');
    const second = ics('PUBLISH', 'event-2@zjhk');
    await transport.send({
      to: 'organiser@example.org',
      subject: 'Two sessions',
      text: 'Both sessions are attached.',
      attachments: [
        { filename: 'morning.ics', contentType: 'text/calendar; method=PUBLISH', content: first },
        { filename: 'afternoon.ics', contentType: 'text/calendar', content: second },
      ],
    });
    const [mail] = await server.waitFor(1);
    expect(mail?.raw.toString('utf8')).not.toMatch(/multipart\/alternative/);
    const parts = mail?.parsed.attachments ?? [];
    expect(parts.map((a) => [a.contentType, a.filename, a.contentDisposition, a.content.toString('utf8')])).toEqual([
      ['text/calendar', 'morning.ics', 'attachment', first],
      ['text/calendar', 'afternoon.ics', 'attachment', second],
    ]);
    expect(parts[0]?.headers.get('content-type')).toMatchObject({ params: { method: 'PUBLISH' } });
    expect(mail?.parsed.text?.trim()).toBe('Both sessions are attached.');
    transport.close();
  });

  it('rejects when the server cannot be reached', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: await closedPort(), secure: false, from: 'noreply@zjhk.example.org' });
    await expect(transport.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow(/ECONNREFUSED/);
    await expect(transport.verify()).rejects.toThrow(/ECONNREFUSED/);
  });
});
