#!/usr/bin/env node
// End-to-end: an administrator adds an API channel in 渠道管理 (the signing secret is shown once);
// a marketplace posts a signed customer message to it; the agent answers it at the desk and the
// reply shows as delivered to the channel (the platform's webhook is a local server).
//   KEFU_E2E_URL=http://localhost:3000 KEFU_E2E_PASSWORD=… KEFU_E2E_ADMIN_PASSWORD=… node e2e/api-channel.e2e.mjs
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { acceptOffer, api, BASE_URL, goOnline, shot, startBrowser, wrapUpAndGoOffline } from './lib.mjs';

const PASSWORD = process.env.KEFU_E2E_PASSWORD;
const ADMIN_PASSWORD = process.env.KEFU_E2E_ADMIN_PASSWORD;

if (!PASSWORD || !ADMIN_PASSWORD) {
  console.error('FAIL: set KEFU_E2E_PASSWORD and KEFU_E2E_ADMIN_PASSWORD');
  process.exit(2);
}

// The marketplace's webhook receiver.
const hooks = [];
const platform = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
await new Promise((r) => platform.listen(0, '127.0.0.1', r));
const webhookUrl = `http://127.0.0.1:${platform.address().port}/kefu-hook`;

let step = 'launch the browser';
const started = Date.now();
const run = await startBrowser();

try {
  step = 'admin creates an API channel in 渠道管理';
  const admin = await run.openAs('admin', ADMIN_PASSWORD);
  await admin.goto(`${BASE_URL}/admin/channels`);
  await admin.getByTestId('channel-new').click();
  const dialog = admin.getByRole('dialog');
  await dialog.waitFor();
  await admin.getByTestId('channel-type').click();
  await admin.locator('.ant-select-item-option', { hasText: '开放接口' }).click();
  await dialog.locator('#name').fill('电商平台客服');
  await dialog.locator('#webhookUrl').fill(webhookUrl);
  await dialog.locator('.ant-btn-primary').click();
  const secrets = admin.getByTestId('channel-generated-secrets');
  await secrets.waitFor();
  const secretText = (await secrets.textContent()) ?? '';
  const secret = /signingSecret: ([0-9a-f]{64})/.exec(secretText)?.[1];
  if (!secret) throw new Error(`no signing secret shown: ${secretText}`);
  await shot(admin, 'api-channel-01-secret-once');
  await admin.locator('.ant-modal-confirm .ant-btn-primary').click();
  await admin.getByTestId('channels-table').getByText('电商平台客服').waitFor();
  const channels = (await api(admin, 'GET', '/channels')).items;
  const channel = channels.find((c) => c.name === '电商平台客服');
  await shot(admin, 'api-channel-02-list');

  step = 'agent goes online';
  const agent = await run.openAs('agent', PASSWORD);
  await goOnline(agent);

  step = 'the marketplace posts a signed customer message';
  const body = JSON.stringify({ messageId: `order-msg-${Date.now()}`, from: { id: 'buyer-2046', name: '买家2046' }, text: '我在你们商城买的智能电表怎么绑定户号？' });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  const res = await fetch(`${BASE_URL}/channels/api/${channel.id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kefu-timestamp': ts, 'x-kefu-signature': `v1=${signature}` }, body });
  if (res.status !== 200) throw new Error(`inbound answered ${res.status}: ${await res.text()}`);

  step = 'the agent accepts and replies; the reply is delivered to the platform';
  run.current = agent;
  await acceptOffer(agent);
  await agent.getByTestId('conversation-pane').getByText('智能电表怎么绑定户号', { exact: false }).first().waitFor();
  await agent.getByTestId('reply-input').fill('您好，在网上国网App「我的」→「户号绑定」里输入户号即可');
  await agent.getByTestId('reply-input').press('Enter');
  await agent.locator('[data-testid=message-delivery][data-state=sent]').waitFor();
  await shot(agent, 'api-channel-03-desk-delivered');
  const hook = hooks.at(-1);
  if (!hook?.body.includes('户号绑定')) throw new Error(`the platform did not receive the reply: ${JSON.stringify(hooks)}`);
  const [t2, sig2] = [hook.headers['x-kefu-timestamp'], String(hook.headers['x-kefu-signature']).replace(/^v1=/, '')];
  if (createHmac('sha256', secret).update(`${t2}.${hook.body}`).digest('hex') !== sig2) throw new Error('the webhook signature does not verify');

  step = 'the agent ends and wraps up, then goes offline';
  await wrapUpAndGoOffline(agent);

  if (run.pageErrors.length) throw new Error(`page errors: ${run.pageErrors.join('; ')}`);
  console.log(`PASS API channel: admin adds channel → signed inbound → desk → reply delivered to the platform webhook (${Date.now() - started} ms)`);
  await run.close();
  platform.close();
} catch (err) {
  console.error(`FAIL at step "${step}": ${err instanceof Error ? err.message : String(err)}`);
  if (run.current) await shot(run.current, 'api-channel-failure').catch(() => {});
  await run.close();
  platform.close();
  process.exit(1);
}
