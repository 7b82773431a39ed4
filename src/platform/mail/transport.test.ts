import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../../test/smtp.ts';
import { createTransport, parseSmtpUrl } from './transport.ts';

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

  it('rejects when the server cannot be reached', async () => {
    const transport = createTransport({ host: '127.0.0.1', port: await closedPort(), secure: false, from: 'noreply@zjhk.example.org' });
    await expect(transport.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow(/ECONNREFUSED/);
    await expect(transport.verify()).rejects.toThrow(/ECONNREFUSED/);
  });
});
