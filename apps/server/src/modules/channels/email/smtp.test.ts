import iconv from 'iconv-lite';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.ts';
import type { InboundMessage, LoadedChannel } from '../types.ts';
import { importEmail } from './email.inbound.ts';
import { createEmailSender, type EmailOutboundMessage } from './outbound.ts';
import { parseEmail } from './parse.ts';
import { type SmtpEnvelope, type SmtpListener, startSmtpListener } from './smtp-listener.ts';
import { outboundMessageId, readMessageIdClaim, readPlusAddress, replyAddress } from './threading.ts';

const SECRET = 'thread-secret-0123456789';
const CONV = '0b7c9a52-6a1e-4c3f-9f3e-2d7f1f0c8a11';
const clock = () => new Date('2026-11-27T02:00:00Z');

function client(port: number) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } });
}

describe('built-in SMTP listener fed by a real SMTP client (nodemailer)', () => {
  let listener: SmtpListener;
  const got: { raw: Buffer; envelope: SmtpEnvelope }[] = [];
  const received: InboundMessage[] = [];
  const channel: LoadedChannel = {
    id: 'ch-email',
    brandId: 'b1',
    type: 'email',
    name: '客服邮箱',
    enabled: true,
    config: { address: 'service@kefu.example', aliases: ['kefu@kefu.example'] },
    secrets: { threadSecret: SECRET },
  };

  beforeAll(async () => {
    listener = await startSmtpListener({
      host: '127.0.0.1',
      port: 0,
      addresses: ['service@kefu.example', 'kefu@kefu.example'],
      maxBytes: 64 * 1024,
      perSenderPerHour: 3,
      clock,
      onMail: async (raw, envelope) => {
        got.push({ raw, envelope });
        await importEmail(
          { clock, receive: async (m) => {
              received.push(m);
              return { duplicate: false, conversationId: CONV, contactId: null, messageId: 'm', customerId: null };
            },
          },
          channel,
          raw,
          envelope,
        );
      },
    });
  });
  afterAll(() => listener.close());

  it('delivers a Chinese mail with an attachment to a plus address and hands it to the pipeline', async () => {
    const to = replyAddress('service@kefu.example', SECRET, CONV);
    await client(listener.port).sendMail({
      from: { name: '张三', address: 'zhang@example.cn' },
      to,
      subject: '回复：工单 GD20261127000123 的进度',
      text: '宽带还是不通。\n\n在 2026年11月27日 10:00，客服 <service@kefu.example> 写道：\n> 已为您派单。',
      textEncoding: 'base64',
      messageId: '<zs-1@example.cn>',
      attachments: [{ filename: '故障截图.png', content: Buffer.from('PNGDATA'), contentType: 'image/png' }],
    });
    expect(got).toHaveLength(1);
    expect(got[0]?.envelope).toMatchObject({ mailFrom: 'zhang@example.cn', rcptTo: [to] });
    expect(received[0]).toMatchObject({
      channelId: 'ch-email',
      from: { kind: 'email', value: 'zhang@example.cn', name: '张三' },
      externalId: '<zs-1@example.cn>',
      text: '宽带还是不通。',
      subject: '回复：工单 GD20261127000123 的进度',
      threadRef: CONV,
      quarantine: null,
    });
    expect(received[0]?.attachments?.map((a) => [a.fileName, a.contentType, a.data.toString()])).toEqual([['故障截图.png', 'image/png', 'PNGDATA']]);
  });

  it('delivers a raw GB2312 mail sent byte for byte', async () => {
    const body = iconv.encode('请问发票什么时候开？', 'gb2312');
    const raw = Buffer.concat([
      Buffer.from(`From: =?GB2312?B?${iconv.encode('王五', 'gb2312').toString('base64')}?= <wang@example.cn>\r\nTo: kefu@kefu.example\r\nSubject: =?GB2312?B?${iconv.encode('发票', 'gb2312').toString('base64')}?=\r\nMessage-ID: <w5@example.cn>\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
      body,
      Buffer.from('\r\n'),
    ]);
    await client(listener.port).sendMail({ envelope: { from: 'wang@example.cn', to: ['kefu@kefu.example'] }, raw });
    expect(received.at(-1)).toMatchObject({ from: { value: 'wang@example.cn', name: '王五' }, subject: '发票', text: '请问发票什么时候开？', threadRef: null, quarantine: null });
  });

  it('answers 550 for recipients that are not ours', async () => {
    const before = got.length;
    await expect(client(listener.port).sendMail({ from: 'x@example.cn', to: 'other@kefu.example', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await expect(client(listener.port).sendMail({ from: 'x@example.cn', to: 'service@evil.example', subject: 'x', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    expect(got).toHaveLength(before);
  });

  it('refuses an oversized mail with 552 and stores nothing', async () => {
    const before = got.length;
    await expect(
      client(listener.port).sendMail({ from: 'big@example.cn', to: 'service@kefu.example', subject: 'big', text: 'x'.repeat(100 * 1024) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(got).toHaveLength(before);
  });

  it('refuses with 552 a mail that exceeds the limit in DATA without declaring SIZE', async () => {
    const before = got.length;
    const { connect } = await import('node:net');
    const socket = connect(listener.port, '127.0.0.1');
    let transcript = '';
    socket.on('data', (d) => {
      transcript += d.toString();
    });
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(transcript); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(/^220 /m);
    for (const [cmd, expect] of [['EHLO test', /^250 /m], ['MAIL FROM:<huge@example.cn>', /250 Accepted/], ['RCPT TO:<service@kefu.example>', /250 Accepted[\s\S]*250 Accepted/], ['DATA', /^354 /m]] as const) {
      socket.write(`${cmd}\r\n`);
      await waitFor(expect);
    }
    socket.write(`Subject: huge\r\n\r\n${'y'.repeat(200 * 1024)}\r\n.\r\n`);
    await waitFor(/^552 /m);
    socket.end('QUIT\r\n');
    expect(transcript).toMatch(/^552 /m);
    expect(got).toHaveLength(before);
  });

  it('does not pass auto-replies and bounces to the pipeline', async () => {
    const before = received.length;
    const accepted = got.length;
    await client(listener.port).sendMail({ from: 'ooo@example.cn', to: 'service@kefu.example', subject: '自动回复：我休假了', text: '休假中', headers: { 'Auto-Submitted': 'auto-replied' } });
    await client(listener.port).sendMail({ envelope: { from: '', to: ['service@kefu.example'] }, raw: 'From: MAILER-DAEMON@mx.example.cn\r\nTo: service@kefu.example\r\nSubject: Undelivered Mail\r\n\r\nfailed\r\n' });
    expect(got.length).toBe(accepted + 2);
    expect(got.at(-1)?.envelope.mailFrom).toBe('');
    expect(received).toHaveLength(before);
  });

  it('rate-limits one sender with a temporary 450', async () => {
    const send = () => client(listener.port).sendMail({ from: 'flood@example.cn', to: 'service@kefu.example', subject: 'spam', text: 'x' });
    await send();
    await send();
    await send();
    await expect(send()).rejects.toMatchObject({ responseCode: 450 });
  });
});

describe('outbound sendEmail into a real SMTP receiver', () => {
  let receiver: SMTPServer;
  let port = 0;
  const delivered: { raw: Buffer; from: string; to: string[] }[] = [];
  const channel = (smtp: Record<string, unknown> = {}): LoadedChannel => ({
    id: 'ch-out',
    brandId: 'b1',
    type: 'email',
    name: '客服中心',
    enabled: true,
    config: { address: 'service@kefu.example', fromName: '某某公司客服', aliases: ['kefu@kefu.example'], smtp: { host: '127.0.0.1', port, secure: false, user: 'mailer', perRecipientPerHour: 3, ...smtp } },
    secrets: { threadSecret: SECRET, smtpPassword: 'smtp-pass' },
  });
  const reply = (over: Partial<EmailOutboundMessage> = {}): EmailOutboundMessage => ({
    conversationId: CONV,
    messageId: 'msg-42',
    text: '您好，您的宽带故障已派单，师傅将于今天下午上门。',
    to: { kind: 'email', value: 'zhang@example.cn', name: '张三' },
    subject: '回复：工单 GD20261127000123',
    inReplyTo: '<zs-1@example.cn>',
    references: ['<zs-0@example.cn>'],
    ...over,
  });
  let auths: { user: string; pass: string }[] = [];

  beforeAll(async () => {
    receiver = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, cb) {
        auths.push({ user: auth.username ?? '', pass: auth.password ?? '' });
        cb(null, { user: auth.username });
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          delivered.push({ raw: Buffer.concat(chunks), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
          cb();
        });
      },
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const addr = (receiver as unknown as { server: import('node:net').Server }).server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it("sends an agent's reply with From, plus Reply-To, signed Message-ID and threading headers, no Auto-Submitted", async () => {
    auths = [];
    const send = createEmailSender({ clock });
    const result = await send(channel(), reply());
    const expectedId = outboundMessageId(SECRET, 'kefu.example', CONV, 'msg-42');
    expect(result).toEqual({ externalId: expectedId });
    expect(auths).toEqual([{ user: 'mailer', pass: 'smtp-pass' }]);
    const last = delivered.at(-1);
    expect(last).toMatchObject({ from: 'service@kefu.example', to: ['zhang@example.cn'] });
    const mail = await parseEmail(last?.raw as Buffer);
    expect(mail.from).toEqual({ address: 'service@kefu.example', name: '某某公司客服' });
    expect(mail.to).toEqual([{ address: 'zhang@example.cn', name: '张三' }]);
    expect(mail.replyTo).toEqual([{ address: replyAddress('service@kefu.example', SECRET, CONV), name: null }]);
    expect(readPlusAddress(SECRET, mail.replyTo[0]?.address ?? '', ['service@kefu.example'])?.verified).toBe(true);
    expect(mail.messageId).toBe(expectedId);
    expect(readMessageIdClaim(SECRET, mail.messageId ?? '')?.verified).toBe(true);
    expect(mail.inReplyTo).toEqual(['<zs-1@example.cn>']);
    expect(mail.references).toEqual(['<zs-0@example.cn>', '<zs-1@example.cn>']);
    expect(mail.subject).toBe('回复：工单 GD20261127000123');
    expect(mail.text).toBe('您好，您的宽带故障已派单，师傅将于今天下午上门。');
    const head = (last as { raw: Buffer }).raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    expect(head).not.toMatch(/^Auto-Submitted:/im);
    expect(head).toMatch(/^X-Auto-Response-Suppress: OOF, AutoReply$/im);
    expect(mail.automated).toBeNull();
  });

  it('marks automatic mail Auto-Submitted: auto-generated (and our own parser then treats it as automated)', async () => {
    const send = createEmailSender({ clock });
    await send(channel(), reply({ automatic: 'auto-generated', to: { kind: 'email', value: 'li@example.cn' } }));
    const mail = await parseEmail(delivered.at(-1)?.raw as Buffer);
    expect(mail.automated).toBe('auto-submitted:auto-generated');
  });

  it('neutralises header injection in the subject (CR/LF + Bcc)', async () => {
    const send = createEmailSender({ clock });
    await send(channel(), reply({ subject: '退款\r\nBcc: victim@evil.example\r\nX-Evil: 1', to: { kind: 'email', value: 'wu@example.cn' } }));
    const last = delivered.at(-1);
    expect(last?.to).toEqual(['wu@example.cn']);
    const head = (last as { raw: Buffer }).raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
    expect(head).not.toMatch(/^Bcc:/im);
    expect(head).not.toMatch(/^X-Evil:/im);
    expect((await parseEmail(last?.raw as Buffer)).subject).toBe('Re: 退款 Bcc: victim@evil.example X-Evil: 1');
  });

  it('refuses our own addresses, automated recipients and automated mail, then rate-limits per recipient', async () => {
    const send = createEmailSender({ clock });
    const before = delivered.length;
    const refusal = async (m: EmailOutboundMessage) => {
      const err = await send(channel(), m).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      return err as AppError;
    };
    expect((await refusal(reply({ to: { kind: 'email', value: 'Service@kefu.example' } }))).details).toMatchObject({ reason: 'own_address' });
    expect((await refusal(reply({ to: { kind: 'email', value: 'service+abc@kefu.example' } }))).details).toMatchObject({ reason: 'own_address' });
    expect((await refusal(reply({ to: { kind: 'email', value: 'kefu@kefu.example' } }))).details).toMatchObject({ reason: 'own_address' });
    expect((await refusal(reply({ to: { kind: 'email', value: 'MAILER-DAEMON@mx.example.cn' } }))).details).toMatchObject({ reason: 'automated_recipient' });
    expect((await refusal(reply({ to: { kind: 'email', value: 'no-reply@shop.example' } }))).details).toMatchObject({ reason: 'automated_recipient' });
    expect((await refusal(reply({ answeringAutomated: 'auto-submitted:auto-replied' }))).details).toMatchObject({ reason: 'automated_recipient' });
    expect((await refusal(reply({ to: { kind: 'phone', value: '13900000001' } }))).code).toBe('email.send_refused');
    expect(delivered).toHaveLength(before);
    for (let i = 0; i < 3; i++) await send(channel(), reply({ to: { kind: 'email', value: 'chen@example.cn' } }));
    const limited = await refusal(reply({ to: { kind: 'email', value: 'chen@example.cn' } }));
    expect(limited.code).toBe('email.rate_limited');
    expect(limited.status).toBe(429);
    expect(delivered).toHaveLength(before + 3);
  });

  it('reports an unreachable SMTP server and a missing SMTP config with clear codes', async () => {
    const send = createEmailSender({ clock });
    await expect(send(channel({ port: 1 }), reply({ to: { kind: 'email', value: 'zhou@example.cn' } }))).rejects.toMatchObject({ code: 'email.delivery_failed' });
    const noSmtp = { ...channel(), config: { address: 'service@kefu.example' } };
    await expect(send(noSmtp, reply())).rejects.toMatchObject({ code: 'email.invalid_config' });
    await expect(send({ ...channel(), secrets: {} }, reply())).rejects.toMatchObject({ code: 'email.invalid_config' });
  });
});
