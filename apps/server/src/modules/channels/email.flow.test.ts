import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDemoCustomerFixture } from '../../seed/index.ts';
import { createTestApp, type TestContext } from '../../testing/test-app.ts';
import { until } from '../../testing/wait.ts';
import { parseEmail } from './email/index.ts';

// Email through the whole product over real SMTP: the customer's mail reaches the channel's built-in
// listener and lands on the customer's timeline; the agent's reply leaves by SMTP with our thread
// token; the customer's reply to it joins the same conversation; someone else using the token goes
// to quarantine.

let t: TestContext;
let admin = '';
let agent = '';
const outbox: { raw: Buffer; to: string[] }[] = [];
let receiver: SMTPServer;
let receiverPort = 0;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here.
type Body = Record<string, any>;
async function call(cookie: string, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as Body };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  receiver = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        outbox.push({ raw: Buffer.concat(chunks), to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverPort = (receiver.server.address() as AddressInfo).port;
  t = await createTestApp();
  admin = await t.login('admin');
  agent = await t.login('agent');
  await call(agent, 'PUT', '/api/v1/agent/presence', { state: 'online' });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('email channel end to end', () => {
  it('threads a customer mail, the agent reply and the customer answer into one conversation; a stranger with the token is quarantined', async () => {
    const fixture = getDemoCustomerFixture('english');
    const customerEmail = fixture.email ?? '';
    const listenerPort = await freePort();
    const ch = await call(admin, 'POST', '/api/v1/channels', {
      type: 'email',
      name: '客服邮箱',
      config: { address: 'service@kefu.test', fromName: '国网青海电力客服', smtpListener: { enabled: true, host: '127.0.0.1', port: listenerPort }, smtp: { host: '127.0.0.1', port: receiverPort, secure: false } },
    });
    expect(ch.status).toBe(201);
    await t.app.services.emailRunner.sync();
    expect(t.app.services.emailRunner.running()).toContain(ch.body.id);

    const customer = nodemailer.createTransport({ host: '127.0.0.1', port: listenerPort, secure: false, ignoreTLS: true });
    await customer.sendMail({ from: `Emma Clarke <${customerEmail}>`, to: 'service@kefu.test', subject: 'October bill', text: 'Could you send me the October electricity bill as a PDF?' });

    const contact = await until('the email contact', () =>
      t.database.db.selectFrom('contacts as c').innerJoin('conversations as v', 'v.id', 'c.conversation_id').select(['c.id', 'c.conversation_id', 'c.customer_id', 'c.channel', 'v.subject']).where('v.channel_id', '=', ch.body.id).executeTakeFirst(),
    );
    expect(contact).toMatchObject({ customer_id: fixture.id, channel: 'email', subject: 'October bill' });
    const conversationId = contact.conversation_id ?? '';

    // The agent answers; the reply goes out by SMTP with our thread token.
    await t.app.services.routing.routeBrand((await t.database.db.selectFrom('channels').select('brand_id').where('id', '=', ch.body.id).executeTakeFirstOrThrow()).brand_id);
    await until('the offer', async () => (await t.database.db.selectFrom('contacts').select('status').where('id', '=', contact.id).executeTakeFirstOrThrow()).status === 'offered');
    expect((await call(agent, 'POST', `/api/v1/contacts/${contact.id}/accept`, {})).status).toBe(200);
    const reply = await call(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Dear Ms Clarke, the October bill is attached to your account in the State Grid app.', clientMsgId: 'mail-r1' });
    await until('the reply to leave', async () => (await t.database.db.selectFrom('messages').select('delivery_status').where('id', '=', reply.body.id).executeTakeFirstOrThrow()).delivery_status === 'sent');
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.to).toEqual([customerEmail]);
    const sent = await parseEmail(outbox[0]?.raw ?? Buffer.alloc(0));
    expect(sent.subject).toBe('Re: October bill');
    const replyTo = sent.replyTo[0]?.address ?? '';
    expect(replyTo).toMatch(/^service\+[0-9a-z.]+@kefu\.test$/);
    expect(sent.text).toContain('October bill is attached');

    // The customer answers the reply: same conversation.
    // With a photo of the meter (kept as a chat file) and a disguised "PDF" (refused, named in the text).
    const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    await customer.sendMail({
      from: customerEmail,
      to: replyTo,
      subject: 'Re: October bill',
      text: 'Thank you, found it.',
      inReplyTo: sent.messageId ?? undefined,
      references: sent.messageId ? [sent.messageId] : undefined,
      attachments: [
        { filename: 'meter.png', content: photo, contentType: 'image/png' },
        { filename: 'invoice.pdf', content: Buffer.from('<html><script>alert(1)</script></html>'), contentType: 'application/pdf' },
      ],
    });
    const answer = await until('the answer in the conversation', async () => {
      const rows = await t.database.db.selectFrom('messages').select(['body', 'kind', 'attachment']).where('conversation_id', '=', conversationId).where('sender_type', '=', 'customer').orderBy('seq').execute();
      return rows.some((m) => m.body.includes('found it')) && rows.some((m) => m.kind === 'image') ? rows : null;
    });
    const text = answer.find((m) => m.body.includes('found it'));
    expect(text?.body).toContain('📎 invoice.pdf（未保存：文件类型不允许）');
    const image = answer.find((m) => m.kind === 'image')?.attachment as { url: string; contentType: string };
    expect(image.contentType).toBe('image/png');
    const download = await t.app.inject({ method: 'GET', url: image.url });
    expect(download.rawPayload.equals(photo)).toBe(true);

    // Someone else writing to the token address is kept for an agent, not put in the conversation.
    await customer.sendMail({ from: 'someone.else@example.net', to: replyTo, subject: 'Re: October bill', text: 'I am not Emma.' });
    const quarantined = await until('the quarantine', () => t.database.db.selectFrom('channel_quarantine').selectAll().where('channel_id', '=', ch.body.id).executeTakeFirst());
    expect(quarantined).toMatchObject({ from_value: 'someone.else@example.net', status: 'open' });
    expect((await t.database.db.selectFrom('messages').select('body').where('conversation_id', '=', conversationId).execute()).some((m) => m.body.includes('not Emma'))).toBe(false);
    await call(agent, 'POST', `/api/v1/contacts/${contact.id}/end`, {});
  });
});
