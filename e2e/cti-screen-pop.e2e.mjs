#!/usr/bin/env node
// End-to-end: phone calls through a CTI channel (docs/cti.md). An administrator adds a CTI channel
// whose PBX is a local HTTP server; a signed `offered` + `answered` from a demo customer's number pops
// 来电弹屏 at the agent (customer card, open work order); 拨打 on the customer's page asks the PBX to
// originate (signed, with the agent's extension); `ended` turns the pop into 通话已结束 + wrap-up; a
// second call from an unknown number creates the caller's record from the pop; after a reload the
// header pill "当前通话 1" reopens the pop.
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… KEFU_E2E_ADMIN_PASSWORD=… node e2e/cti-screen-pop.e2e.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { api, apiSession, BASE_URL, goOnline, leafReasonCode, shot, startBrowser } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const ADMIN_PASSWORD = process.env.KEFU_E2E_ADMIN_PASSWORD;
const EXTENSION = '8001';
const CHANNEL_PREFIX = '95598 热线 E2E ';

if (!PASSWORD || !ADMIN_PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD and KEFU_E2E_ADMIN_PASSWORD');
  process.exit(2);
}

// The PBX's originate webhook: records what Kefu asks for and answers with a call id.
const originates = [];
const pbx = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    originates.push({ path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ callId: `pbx-out-${originates.length}` }));
  });
});
await new Promise((r) => pbx.listen(0, '127.0.0.1', r));
const originateUrl = `http://127.0.0.1:${pbx.address().port}/kefu/originate`;

const sign = (secret, ts, body) => createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

/** Verifies X-Kefu-Timestamp / X-Kefu-Signature (v1=, several allowed) of a request Kefu sent. */
function verifySignature(secret, headers, body) {
  const ts = String(headers['x-kefu-timestamp'] ?? '');
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const expected = Buffer.from(sign(secret, ts, body), 'hex');
  return String(headers['x-kefu-signature'] ?? '')
    .split(',')
    .map((v) => v.trim().replace(/^v1=/, ''))
    .some((hex) => /^[0-9a-f]{64}$/.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}

async function waitFor(what, check, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until no drawer is sliding in or out (for screenshots). */
const settled = (page) => page.waitForFunction(() => !document.querySelector('.ant-drawer-content-wrapper[class*="motion"]'));

/** After a failure: end and wrap up the agent's calls, set them offline, disable this script's channels. */
async function cleanUpAfterFailure() {
  const agentApi = await apiSession('agent', PASSWORD);
  const adminApi = await apiSession('admin', ADMIN_PASSWORD);
  const leaf = leafReasonCode((await agentApi('GET', '/reason-codes')).items);
  for (const left of (await agentApi('GET', '/calls/current')).items) {
    if (left.status !== 'wrap_up') await agentApi('POST', `/contacts/${left.contactId}/end`, {}).catch(() => {});
    await agentApi('POST', `/contacts/${left.contactId}/wrap-up`, { reasonCode: leaf.code, outcome: 'resolved' }).catch(() => {});
  }
  await agentApi('PUT', '/agent/presence', { state: 'offline' }).catch(() => {});
  for (const c of (await adminApi('GET', '/channels')).items.filter((ch) => ch.type === 'cti' && ch.enabled && ch.name.startsWith(CHANNEL_PREFIX))) {
    await adminApi('PATCH', `/channels/${c.id}`, { enabled: false });
  }
}

let step = 'launch the browser';
const started = Date.now();
const run = await startBrowser();

try {
  step = 'admin creates a CTI channel mapping the demo agent to extension 8001';
  const admin = await apiSession('admin', ADMIN_PASSWORD);
  const agent = await run.openAs('agent', PASSWORD);
  const me = await api(agent, 'GET', '/me');
  // Click-to-call dials through the first enabled CTI channel with an originate URL and the agent's
  // extension: channels an earlier run of this script left behind point to PBXs that are gone.
  for (const old of (await admin('GET', '/channels')).items.filter((c) => c.type === 'cti' && c.enabled && c.name.startsWith(CHANNEL_PREFIX))) {
    await admin('PATCH', `/channels/${old.id}`, { enabled: false });
  }
  const channel = await admin('POST', '/channels', { type: 'cti', name: `${CHANNEL_PREFIX}${Date.now() % 100000}`, config: { agentExtensions: { [me.id]: EXTENSION }, originateUrl } });
  const secret = channel.generatedSecrets?.signingSecret ?? channel.secrets?.signingSecret;
  if (!secret) throw new Error(`the CTI channel answered no signing secret: ${JSON.stringify(channel).slice(0, 400)}`);

  /** Posts one signed PBX event; answers the parsed reply. */
  let seq = 0;
  async function cti(callId, type, fields = {}) {
    seq += 1;
    const body = JSON.stringify({ eventId: `${callId}:${type}:${seq}`, callId, type, at: Date.now() / 1000, seq, ...fields });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${BASE_URL}/channels/cti/${channel.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-timestamp': ts, 'x-kefu-signature': `v1=${sign(secret, ts, body)}` },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`CTI ${type} answered ${res.status}: ${text.slice(0, 400)}`);
    return JSON.parse(text);
  }

  step = 'find a demo customer with open work orders and a phone number only they use';
  const open = (await admin('GET', '/tickets?open=true&limit=100')).items.filter((tk) => tk.customerId);
  let customer = null;
  let phone = null;
  for (const customerId of [...new Set(open.map((tk) => tk.customerId))]) {
    const revealed = await admin('POST', `/customers/${customerId}/reveal`);
    const number = revealed.identities.find((i) => i.kind === 'phone')?.value;
    if (!number) continue;
    const sameNumber = (await admin('GET', `/customers?q=${encodeURIComponent(number)}`)).items;
    if (sameNumber.length === 1 && sameNumber[0].id === customerId) {
      customer = revealed;
      phone = number;
      break;
    }
  }
  if (!customer) throw new Error('no demo customer with open work orders and a unique phone number');
  const orderNumbers = open.filter((tk) => tk.customerId === customer.id).map((tk) => tk.number);

  step = 'the agent is at the desk and online, with no call left over from an earlier run';
  const leaf = leafReasonCode((await api(agent, 'GET', '/reason-codes')).items);
  for (const left of (await api(agent, 'GET', '/calls/current')).items) {
    if (left.status !== 'wrap_up') await api(agent, 'POST', `/contacts/${left.contactId}/end`, {});
    await api(agent, 'POST', `/contacts/${left.contactId}/wrap-up`, { reasonCode: leaf.code, outcome: 'resolved' });
  }
  await goOnline(agent);

  step = 'the PBX reports a call from the customer, answered at extension 8001: the screen pop shows the customer and an open order';
  const call1 = `e2e-call-${Date.now()}`;
  await cti(call1, 'offered', { caller: phone, called: '95598', ivrPath: '1>2' });
  await cti(call1, 'answered', { agentExtension: EXTENSION });
  const pop = agent.getByTestId('call-pop');
  await pop.getByTestId('call-pop-customer-name').filter({ hasText: customer.name }).waitFor();
  await pop.getByTestId('call-pop-ticket-link').first().waitFor();
  const shownOrders = await pop.getByTestId('call-pop-ticket-link').allTextContents();
  if (!shownOrders.some((n) => orderNumbers.includes(n.trim()))) throw new Error(`the pop lists orders ${shownOrders.join(', ')}, none of the customer's open ${orderNumbers.join(', ')}`);
  const ivr = ((await pop.getByTestId('call-pop-ivr').textContent()) ?? '').trim();
  if (ivr !== '1 › 2') throw new Error(`the IVR path shows "${ivr}", expected "1 › 2"`);
  const caller = ((await pop.getByTestId('call-pop-caller').textContent()) ?? '').trim();
  if (caller === phone) throw new Error('the pop shows the caller number unmasked to an agent without customer:unmask');
  await pop.locator('[data-testid=call-pop-status][data-status=active]').waitFor();
  const call1ContactId = await pop.getAttribute('data-contact-id');
  await settled(agent);
  await shot(agent, 'cti-01-screen-pop');

  step = '新建工单 from the pop opens the new-order form with the customer filled in';
  await pop.getByTestId('call-pop-create-ticket').click();
  const ticketDrawer = agent.getByTestId('ticket-create-drawer');
  await ticketDrawer.getByText(customer.name).first().waitFor();
  await shot(agent, 'cti-02-new-order-prefilled');
  await ticketDrawer.locator('.ant-drawer-close').click();
  await ticketDrawer.waitFor({ state: 'hidden' });

  step = '打开客户档案 from the pop, minimize the pop, 拨打 on the customer page: the PBX gets a signed originate';
  await pop.getByTestId('call-pop-open-customer').click();
  await agent.waitForURL((url) => url.pathname === `/customers/${customer.id}`);
  await pop.locator('.ant-drawer-close').click();
  await pop.waitFor({ state: 'hidden' });
  await agent.getByTestId('call-pill').filter({ hasText: '当前通话 1' }).waitFor();
  const before = originates.length;
  const [answer] = await Promise.all([agent.waitForResponse((r) => r.url().endsWith('/api/v1/calls/originate')), agent.getByTestId('call-originate').click()]);
  if (answer.status() !== 202) throw new Error(`POST /calls/originate answered ${answer.status()}: ${(await answer.text()).slice(0, 400)}`);
  await agent.locator('.ant-message', { hasText: '已请求外呼，请接听分机' }).waitFor();
  const request = await waitFor('the originate request at the PBX', () => originates[before]);
  if (!verifySignature(secret, request.headers, request.body)) throw new Error(`the originate request is not correctly signed: ${JSON.stringify(request.headers)}`);
  const originate = JSON.parse(request.body);
  // The server dials the customer's first phone; a customer may have several.
  const phones = customer.identities.filter((i) => i.kind === 'phone').map((i) => i.value);
  if (originate.action !== 'originate' || originate.agentExtension !== EXTENSION || !phones.includes(originate.number)) {
    throw new Error(`unexpected originate body: ${request.body}`);
  }
  await shot(agent, 'cti-03-click-to-call');

  step = '拨打 on a callback task in the desk\'s callbacks drawer: the PBX is asked to dial the task\'s number';
  const tasks = (await api(agent, 'GET', '/callbacks?status=open')).items;
  await agent.getByTestId('nav-desk').click();
  await agent.getByTestId('desk-callbacks').click();
  const drawer = agent.getByTestId('callbacks-drawer');
  const firstTask = drawer.getByTestId('callback-task').first();
  await firstTask.waitFor();
  const sent = originates.length;
  const [taskAnswer] = await Promise.all([agent.waitForResponse((r) => r.url().endsWith('/api/v1/calls/originate')), firstTask.getByTestId('call-originate').click()]);
  if (taskAnswer.status() !== 202) throw new Error(`POST /calls/originate (callback) answered ${taskAnswer.status()}: ${(await taskAnswer.text()).slice(0, 400)}`);
  const callback = JSON.parse((await waitFor('the callback originate at the PBX', () => originates[sent])).body);
  const task = tasks.find((x) => x.id === callback.callbackTaskId);
  if (!task || callback.agentExtension !== EXTENSION || callback.number !== task.phone) throw new Error(`unexpected callback originate: ${JSON.stringify(callback)}`);
  await drawer.locator('.ant-drawer-close').click();
  await drawer.waitFor({ state: 'hidden' });

  step = 'the caller hangs up: the pop comes back with 通话已结束 and the wrap-up form';
  await cti(call1, 'ended', { reason: 'customer_hangup' });
  await pop.getByTestId('call-pop-ended').waitFor();
  await pop.getByTestId('wrap-up-form').waitFor();
  await pop.locator('[data-testid=call-pop-status][data-status=wrap_up]').waitFor();
  await settled(agent);
  await shot(agent, 'cti-04-call-ended-wrap-up');

  step = 'the agent wraps up in the pop; the pill goes away';
  await pop.getByTestId('wrap-up-reason').click();
  await agent.keyboard.type(leaf.nameZh);
  await agent.locator('.ant-select-tree-title', { hasText: leaf.nameZh }).first().click();
  await pop.getByTestId('wrap-up-submit').click();
  await pop.getByTestId('call-pop-wrapped-up').waitFor();
  await agent.getByTestId('call-pill').waitFor({ state: 'detached' });
  const contact1 = await api(agent, 'GET', `/contacts/${call1ContactId}`);
  if (contact1.status !== 'closed' || contact1.reasonCode !== leaf.code) throw new Error(`the call's contact is ${contact1.status} with reason ${contact1.reasonCode}`);
  await settled(agent);
  await shot(agent, 'cti-05-wrapped-up');
  await pop.locator('.ant-drawer-close').click();
  await pop.waitFor({ state: 'hidden' });

  step = 'a call from an unknown number: the pop offers the new-customer form, which creates the caller';
  const unknown = `1390${String(Date.now()).slice(-7)}`;
  if ((await admin('GET', `/customers?q=${unknown}`)).items.length) throw new Error(`${unknown} is already in the archive`);
  const call2 = `e2e-call-${Date.now()}-2`;
  await cti(call2, 'offered', { caller: unknown, called: '95598' });
  await cti(call2, 'answered', { agentExtension: EXTENSION });
  const form = pop.getByTestId('call-pop-new-customer');
  await form.waitFor();
  const newName = `来电新客户${String(Date.now()).slice(-4)}`;
  await form.getByTestId('call-pop-new-name').fill(newName);
  await form.getByTestId('call-pop-new-area').click();
  await agent.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
  await agent.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  await form.getByTestId('call-pop-new-address').fill('城中区解放路 12 号');
  await shot(agent, 'cti-06-new-customer-form');
  await form.getByTestId('call-pop-new-submit').click();
  await pop.getByTestId('call-pop-customer-name').filter({ hasText: newName }).waitFor();
  const created = (await admin('GET', `/customers?q=${unknown}`)).items;
  if (created.length !== 1 || created[0].name !== newName) throw new Error(`the archive has ${JSON.stringify(created)} for ${unknown}`);
  const call2ContactId = await pop.getAttribute('data-contact-id');
  await settled(agent);
  await shot(agent, 'cti-07-new-customer-created');

  step = 'after a reload the pill 当前通话 1 reopens the pop';
  await agent.reload();
  await agent.getByTestId('call-pill').filter({ hasText: '当前通话 1' }).click();
  await pop.getByTestId('call-pop-customer-name').filter({ hasText: newName }).waitFor();
  await settled(agent);
  await shot(agent, 'cti-08-reopened-after-reload');

  step = 'clean up: end and wrap up the second call, go offline';
  await cti(call2, 'ended', { reason: 'agent_hangup' });
  await pop.getByTestId('call-pop-ended').waitFor();
  await api(agent, 'POST', `/contacts/${call2ContactId}/wrap-up`, { reasonCode: leaf.code, outcome: 'resolved' });
  await api(agent, 'PUT', '/agent/presence', { state: 'offline' });
  await admin('PATCH', `/channels/${channel.id}`, { enabled: false });

  if (run.pageErrors.length) throw new Error(`page errors: ${run.pageErrors.join('; ')}`);
  console.log(`PASS CTI screen pop: signed call → 来电弹屏 with customer and open order → 拨打 → signed originate at the PBX → ended → wrap-up → unknown caller created from the pop (${Date.now() - started} ms)`);
  await run.close();
  pbx.close();
} catch (err) {
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : String(err)}`);
  if (run.current) await shot(run.current, 'cti-screen-pop-failure').catch(() => {});
  // Leave the agent free for the next scripts: a call left active holds their capacity.
  await cleanUpAfterFailure().catch((e) => console.error(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`));
  await run.close();
  pbx.close();
  process.exit(1);
}
