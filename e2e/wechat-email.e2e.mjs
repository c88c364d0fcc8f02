#!/usr/bin/env node
// End-to-end (issue acceptance): a WeChat message and an email from the same customer arrive on one
// timeline, the agent replies to each, and each reply leaves through its own channel.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… KEFU_E2E_ADMIN_PASSWORD=… node e2e/wechat-email.e2e.mjs
// 1. The script starts local peers on free ports: a fake WeChat API (access token + 客服消息, the
//    published request and answer shapes) and an SMTP receiver standing for the mail provider.
// 2. Through the admin API: a WeChat official-account channel (plaintext mode, bot off) talking to
//    the fake API, and an email channel whose built-in SMTP listener takes the customer's mail and
//    whose outbound SMTP is the receiver. A demo customer with an email identity gets a WeChat
//    openid identity, so both messages link to that one customer.
// 3. `agent` goes online; the customer writes on WeChat (a signed plaintext callback exactly as
//    WeChat sends it) and by email (SMTP to the channel's listener). The agent accepts both
//    offers, answers each in its tab, and each reply shows 已送达渠道.
// 4. The fake WeChat API received a customer-service message to the openid with the reply, the
//    SMTP receiver a mail to the customer with the reply and a "Re:" subject.
// 5. The customer's 联络记录 lists the WeChat and the email contact.
// The channels are disabled again at the end. Screenshots go to e2e/screenshots/.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { acceptOffer, api, apiSession, BASE_URL, goOnline, SCREENSHOTS, shot, startBrowser, TIMEOUT_MS, wrapUpAndGoOffline } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const ADMIN_PASSWORD = process.env.KEFU_E2E_ADMIN_PASSWORD;
/** The email runner (job `email-channels`) starts new listeners every 30 s. */
const LISTENER_WAIT_MS = Number(process.env.KEFU_E2E_LISTENER_WAIT_MS ?? 75_000);
const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const WECHAT_TOKEN = `kefuE2E${RUN}`.slice(0, 32);
const APP_ID = `wx${randomBytes(8).toString('hex')}`;
const APP_SECRET = randomBytes(16).toString('hex');
const OPENID = `oE2E_${RUN}_${randomBytes(6).toString('hex')}`;
const CHANNEL_ADDRESS = `service-${RUN}@kefu-e2e.example`;
const WECHAT_TEXT = `我家电表显示余额不足，刚才交的电费还没到账（微信 ${RUN}）`;
const EMAIL_SUBJECT = `电费发票开具申请 ${RUN}`;
const EMAIL_TEXT = `您好，请帮我开具上个月的电费发票，谢谢。（邮件 ${RUN}）`;
const WECHAT_REPLY = `您好，微信缴费一般10分钟内到账，我已为您查询，款项已入账（${RUN}）`;
const EMAIL_REPLY = `您好，上月电费发票已开具，可在网上国网App「发票」中下载（${RUN}）`;

if (!PASSWORD || !ADMIN_PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD and KEFU_E2E_ADMIN_PASSWORD');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

async function freePort() {
  const srv = createTcpServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** api.weixin.qq.com as far as the channel uses it: access tokens and customer-service messages. */
async function startFakeWechat(appId, appSecret) {
  const tokens = new Set();
  const sent = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const q = Object.fromEntries(url.searchParams);
      let answer = { errcode: 404, errmsg: 'no such api' };
      if (url.pathname === '/cgi-bin/token' && req.method === 'GET') {
        if (q.grant_type !== 'client_credential') answer = { errcode: 40002, errmsg: 'invalid grant_type' };
        else if (q.appid !== appId) answer = { errcode: 40013, errmsg: 'invalid appid' };
        else if (q.secret !== appSecret) answer = { errcode: 40125, errmsg: 'invalid appsecret' };
        else {
          const token = randomBytes(48).toString('base64url');
          tokens.add(token);
          answer = { access_token: token, expires_in: 7200 };
        }
      } else if (url.pathname === '/cgi-bin/message/custom/send' && req.method === 'POST') {
        let body;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {}
        if (!q.access_token) answer = { errcode: 41001, errmsg: 'access_token missing' };
        else if (!tokens.has(q.access_token)) answer = { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
        else if (!body) answer = { errcode: 47001, errmsg: 'data format error' };
        else if (typeof body.touser !== 'string' || !body.touser) answer = { errcode: 40003, errmsg: 'invalid openid' };
        else if (body.msgtype !== 'text') answer = { errcode: 40008, errmsg: 'invalid message type' };
        else if (typeof body.text?.content !== 'string' || !body.text.content) answer = { errcode: 44004, errmsg: 'empty content' };
        else {
          sent.push(body);
          answer = { errcode: 0, errmsg: 'ok' };
        }
      }
      // WeChat answers HTTP 200 even for errors; the errcode tells.
      res.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(JSON.stringify(answer));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { baseUrl: `http://127.0.0.1:${server.address().port}`, sent, close: () => new Promise((r) => server.close(r)) };
}

/** The mail provider's SMTP server the channel sends through: records every mail it is given. */
async function startSmtpReceiver() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), mail });
          callback();
        },
        (err) => callback(err),
      );
    },
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.server.address().port, mails, close: () => new Promise((r) => server.close(r)) };
}

/** A text message as WeChat posts it to the server URL in plaintext mode (明文模式), signed with the token. */
async function postWechatText(channelId, { toUser, fromUser, content, msgId }) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const signature = createHash('sha1').update([WECHAT_TOKEN, timestamp, nonce].sort().join(''), 'utf8').digest('hex');
  const xml = `<xml><ToUserName><![CDATA[${toUser}]]></ToUserName><FromUserName><![CDATA[${fromUser}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;
  const query = new URLSearchParams({ signature, timestamp, nonce, openid: fromUser });
  const res = await fetch(`${BASE_URL}/channels/wechat/${channelId}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`the WeChat callback answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

let step = 'start the fake WeChat API and the SMTP receiver';
const started = Date.now();
const wechat = await startFakeWechat(APP_ID, APP_SECRET);
const smtp = await startSmtpReceiver();
const run = await startBrowser();
const created = [];
let admin = null;
let agent = null;
let customer = null;
let addedIdentity = null;

try {
  step = 'admin creates the WeChat channel (plaintext mode) against the fake WeChat API';
  admin = await apiSession('admin', ADMIN_PASSWORD);
  const wechatChannel = await admin('POST', '/channels', {
    type: 'wechat',
    name: `服务号 e2e ${RUN}`,
    config: { token: WECHAT_TOKEN, appId: APP_ID, appSecret: APP_SECRET, apiBaseUrl: wechat.baseUrl },
  });
  created.push(wechatChannel.id);
  if (wechatChannel.config.safeMode !== false) throw new Error(`the channel is not in plaintext mode: ${JSON.stringify(wechatChannel.config)}`);
  if (wechatChannel.config.bot?.enabled === true) throw new Error('the new WeChat channel has its bot on: the message would not reach an agent');
  if (JSON.stringify(wechatChannel.secrets).includes(APP_SECRET)) throw new Error('the channel listing shows the AppSecret in clear');

  step = 'admin creates the email channel with its SMTP listener and outbound SMTP';
  const listenerPort = await freePort();
  const emailChannel = await admin('POST', '/channels', {
    type: 'email',
    name: `客服邮箱 e2e ${RUN}`,
    config: {
      address: CHANNEL_ADDRESS,
      fromName: '国网客服 e2e',
      smtpListener: { enabled: true, host: '127.0.0.1', port: listenerPort },
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
    },
  });
  created.push(emailChannel.id);
  if (emailChannel.config.bot?.enabled === true) throw new Error('the new email channel has its bot on');

  step = 'pick a demo customer with an email address and give them a WeChat openid';
  // A generated demo customer (qq.com is the commonest mail domain of the demo data), not one of the
  // fixed fixtures other scripts use; the first whose archive holds an email address.
  const found = await admin('GET', '/customers?q=qq.com&limit=20');
  let customerEmail = null;
  for (const summary of found.items.filter((c) => !c.id.startsWith('de000000-'))) {
    const full = await admin('GET', `/customers/${summary.id}`);
    if (!full.identities.some((i) => i.kind === 'email')) continue;
    // Identities are masked in the archive view; revealing the record (audited) gives the address.
    const revealed = await admin('POST', `/customers/${summary.id}/reveal`);
    customerEmail = revealed.identities.find((i) => i.kind === 'email')?.value ?? null;
    customer = revealed;
    break;
  }
  if (!customer || !customerEmail) throw new Error(`no customer with an email identity among ${found.items.length} results of ?q=qq.com`);
  const withOpenid = await admin('POST', `/customers/${customer.id}/identities`, { kind: 'wechat_openid', value: OPENID });
  addedIdentity = withOpenid.identities.find((i) => i.kind === 'wechat_openid' && !customer.identities.some((o) => o.id === i.id));
  if (!addedIdentity) throw new Error('the openid identity was not added');
  console.log(`customer ${customer.name} (${customer.id}): email ${customerEmail}, openid ${OPENID}`);

  step = 'the email runner starts the channel’s SMTP listener';
  await until(`the SMTP listener on 127.0.0.1:${listenerPort} (job email-channels)`, () => accepts(listenerPort), LISTENER_WAIT_MS);

  step = 'agent signs in and goes online';
  agent = await run.openAs('agent', PASSWORD);
  await goOnline(agent);
  const deskBefore = await api(agent, 'GET', '/agent/desk');
  const heldBefore = new Set(deskBefore.contacts.map((c) => c.id));

  step = 'the customer writes to the official account on WeChat';
  const answer = await postWechatText(wechatChannel.id, { toUser: 'gh_e2e_kefu', fromUser: OPENID, content: WECHAT_TEXT, msgId: String(Date.now()) });
  if (answer !== 'success') throw new Error(`the WeChat callback answered ${JSON.stringify(answer.slice(0, 200))} instead of success (is a bot answering?)`);

  step = 'the customer sends an email to the service address';
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: listenerPort, secure: false, ignoreTLS: true });
  await mailer.sendMail({ from: { name: customer.name, address: customerEmail }, to: CHANNEL_ADDRESS, subject: EMAIL_SUBJECT, text: EMAIL_TEXT });
  mailer.close();

  step = 'the agent accepts the WeChat and the email offer';
  run.current = agent;
  const accepted = new Map(); // channel → contact
  const tried = new Set();
  await until(
    'two offers (wechat and email) to be accepted',
    async () => {
      const card = agent.getByTestId('offer-card').first();
      const id = (await card.isVisible().catch(() => false)) ? await card.getAttribute('data-contact-id').catch(() => null) : null;
      if (id && !tried.has(id)) {
        tried.add(id);
        await acceptOffer(agent, id);
        await agent.locator(`[data-testid=conversation-pane][data-contact-id="${id}"]`).waitFor({ state: 'attached' });
      }
      const desk = await api(agent, 'GET', '/agent/desk');
      for (const c of desk.contacts) {
        if (!heldBefore.has(c.id) && c.status === 'active' && (c.channel === 'wechat' || c.channel === 'email')) accepted.set(c.channel, c);
      }
      return accepted.size === 2;
    },
    Math.max(TIMEOUT_MS, 45_000),
  );
  const wechatContact = accepted.get('wechat');
  const emailContact = accepted.get('email');
  for (const c of [wechatContact, emailContact]) {
    if (c.customerId !== customer.id) throw new Error(`the ${c.channel} contact is linked to customer ${c.customerId}, expected ${customer.id}`);
  }

  /** Opens the contact's tab, checks the customer's message, replies and waits for 已送达渠道. */
  async function replyIn(contact, customerText, replyText, name) {
    await agent.locator(`.ant-tabs-tab[data-node-key="${contact.id}"]`).click();
    // Only the selected tab's pane is visible (the others stay mounted, hidden).
    const pane = agent.locator(`[data-testid=conversation-pane][data-contact-id="${contact.id}"]`);
    await pane.waitFor({ state: 'visible' });
    await pane.getByText(customerText, { exact: false }).first().waitFor();
    const input = pane.getByTestId('reply-input');
    await input.fill(replyText);
    await input.press('Enter');
    const message = pane.getByTestId('message').filter({ hasText: replyText });
    await message.waitFor();
    const state = message.getByTestId('message-delivery');
    await until(
      `the ${contact.channel} reply to show 已送达渠道`,
      async () => {
        const now = await state.getAttribute('data-state').catch(() => null);
        if (now === 'failed') throw new Error(`the ${contact.channel} reply failed: ${await state.textContent()}`);
        return now === 'sent';
      },
      Math.max(TIMEOUT_MS, 30_000),
    );
    const label = ((await state.textContent()) ?? '').trim();
    if (!label.includes('已送达渠道')) throw new Error(`the ${contact.channel} delivery state reads "${label}"`);
    await shot(agent, name);
  }

  step = 'the agent answers the WeChat message';
  await replyIn(wechatContact, WECHAT_TEXT, WECHAT_REPLY, 'wechat-email-01-desk-wechat-delivered');

  step = 'the agent answers the email';
  await replyIn(emailContact, EMAIL_TEXT, EMAIL_REPLY, 'wechat-email-02-desk-email-delivered');

  step = 'the fake WeChat API received the reply as a customer-service message';
  const custom = await until('the customer-service message at the fake WeChat API', () => wechat.sent.find((b) => b.text.content.includes(WECHAT_REPLY)));
  if (custom.touser !== OPENID || custom.msgtype !== 'text') throw new Error(`unexpected customer-service message: ${JSON.stringify(custom)}`);
  if (wechat.sent.some((b) => b.text.content.includes(EMAIL_REPLY))) throw new Error('the email reply also went out on WeChat');

  step = 'the SMTP receiver got the reply mail to the customer';
  const got = await until('the reply mail at the SMTP receiver', () => smtp.mails.find((m) => (m.mail.text ?? '').includes(EMAIL_REPLY)));
  const to = (got.mail.to?.value ?? []).map((a) => a.address.toLowerCase());
  if (!to.includes(customerEmail.toLowerCase()) || !got.envelopeTo.includes(customerEmail.toLowerCase())) throw new Error(`the reply mail went to ${to.join(', ')} (envelope ${got.envelopeTo.join(', ')}), expected ${customerEmail}`);
  if (got.mail.subject !== `Re: ${EMAIL_SUBJECT}`) throw new Error(`the reply subject is "${got.mail.subject}", expected "Re: ${EMAIL_SUBJECT}"`);
  if (got.mail.from?.value?.[0]?.address?.toLowerCase() !== CHANNEL_ADDRESS) throw new Error(`the reply mail is from ${got.mail.from?.text}, expected ${CHANNEL_ADDRESS}`);
  if (smtp.mails.some((m) => (m.mail.text ?? '').includes(WECHAT_REPLY))) throw new Error('the WeChat reply also went out by email');

  step = 'both contacts are on the customer’s one timeline (联络记录)';
  const timeline = await api(agent, 'GET', `/customers/${customer.id}/contacts?limit=10`);
  const newest = timeline.items.slice(0, 2);
  const ids = new Set(newest.map((c) => c.id));
  if (!ids.has(wechatContact.id) || !ids.has(emailContact.id)) throw new Error(`the two newest contacts on the timeline are ${JSON.stringify(newest.map((c) => [c.id, c.channel]))}`);
  await agent.goto(`${BASE_URL}/customers/${customer.id}`);
  await agent.getByRole('tab', { name: /联络记录/ }).click();
  const rows = agent.getByTestId('customer-contacts').getByTestId('customer-contact');
  await rows.nth(1).waitFor();
  const shown = await rows.evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-channel')));
  if ([...shown].sort().join() !== 'email,wechat') throw new Error(`the newest two rows of 联络记录 are ${shown.join(', ')}, expected wechat and email`);
  for (const label of ['微信', '邮件']) {
    const inRows = await Promise.all([0, 1].map((i) => rows.nth(i).getByRole('img', { name: label }).count()));
    if (!inRows.some(Boolean)) throw new Error(`no ${label} contact among the newest two rows of 联络记录`);
  }
  await shot(agent, 'wechat-email-03-customer-timeline', { fullPage: true });

  step = 'the WeChat contact’s transcript opens from the timeline';
  await rows.filter({ has: agent.locator('[data-channel=wechat]') }).first().click();
  const drawer = agent.locator('.ant-drawer-open');
  await drawer.getByText(WECHAT_TEXT).first().waitFor();
  await drawer.getByText(WECHAT_REPLY).first().waitFor();
  await shot(agent, 'wechat-email-04-timeline-wechat-transcript');
  await agent.keyboard.press('Escape');

  step = 'the agent ends and wraps up both contacts, then goes offline';
  await wrapUpAndGoOffline(agent);

  if (run.pageErrors.length) throw new Error(`page errors: ${run.pageErrors.join('; ')}`);
  console.log(
    `PASS WeChat + email: one customer, two channels → two offers → replies delivered (WeChat custom message to ${OPENID}, mail "Re: …" to ${customerEmail}) → both on 联络记录 (${Date.now() - started} ms). Screenshots in ${SCREENSHOTS}`,
  );
} catch (err) {
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : String(err)}`);
  if (run.current) {
    console.error(`  at ${run.current.url()}`);
    await shot(run.current, 'wechat-email-failure').catch(() => {});
  }
  process.exitCode = 1;
  // Do not leave the agent online holding contacts for the next script.
  if (agent) await wrapUpAndGoOffline(agent).catch(() => api(agent, 'PUT', '/agent/presence', { state: 'offline' }).catch(() => {}));
} finally {
  // Leave the demo center as it was: the test openid goes, the test channels stop taking traffic
  // (and the listener stops). The contacts stay on the customer's timeline.
  if (addedIdentity) await admin('DELETE', `/customers/${customer.id}/identities/${addedIdentity.id}`).catch((e) => console.error(`could not remove the test openid: ${e}`));
  for (const id of created) await admin?.('PATCH', `/channels/${id}`, { enabled: false }).catch((e) => console.error(`could not disable channel ${id}: ${e}`));
  await run.close();
  await wechat.close();
  await smtp.close();
}
