import { randomBytes } from 'node:crypto';
import { hasIvrErrors, type IvrPrompt, type IvrTree, validateIvrTree } from '@kefu/domain';
import { type SecretKey, sealSecrets } from '../modules/channels/secret-box.ts';
import { requireRef, type SeedContext } from './seed-context.ts';

// The demo center's phone line: a CTI channel "95598 供电服务热线" whose PBX extensions map to the
// demo agents, with a published IVR (语音导航, version 1) in Chinese and English.
//
// The signing secret. Channel secrets are sealed (secret-box.ts) under a key derived from the
// installation's session secret, which the demo seed is not given (seedDemoCenter runs before the
// app and takes no config). Without `secretKey` the secret is stored in the plain legacy format
// that openSecrets still reads (as the web chat channel's identity secret is): the channel works,
// but the value is not encrypted at rest. Pass `secretKey: deriveSecretKey(config.sessionSecret)`
// to store it sealed. Either way the value is random and shown to nobody: an admin who connects a
// real PBX creates a CTI channel of their own (its secret is shown once on creation).

/** The demo CTI channel's fixed id (like the web chat's DEMO_WEBCHAT_CHANNEL_ID). */
export const DEMO_CTI_CHANNEL_ID = 'de000000-0000-4000-8000-0000000000c2';
export const DEMO_CTI_CHANNEL_NAME = '95598 供电服务热线';

/** Demo agents' PBX extensions (分机号): agent 8001, agent02 8002 … agent30 8030, then the language desk. */
export function demoAgentExtensions(users: Readonly<Record<string, string>>): Record<string, string> {
  const usernames = [...Array.from({ length: 30 }, (_, i) => (i === 0 ? 'agent' : `agent${String(i + 1).padStart(2, '0')}`)), 'amdo', 'kham', 'amdo2'];
  const extensions: Record<string, string> = {};
  usernames.forEach((username, i) => {
    const id = users[username];
    if (id) extensions[id] = String(8001 + i);
  });
  return extensions;
}

const say = (zh: string, en: string, audio?: string): IvrPrompt => ({ text: { 'zh-CN': zh, 'en-US': en }, ...(audio ? { audio } : {}) });

/** The demo IVR; queue ids by code (general, billing, complaint, english). */
export function buildDemoIvrTree(queues: Readonly<Record<'general' | 'billing' | 'complaint' | 'english', string>>): IvrTree {
  return {
    root: 'welcome',
    defaultLanguage: 'zh-CN',
    languages: ['zh-CN', 'en-US'],
    nodes: [
      {
        id: 'welcome',
        kind: 'prompt',
        prompt: say(
          '您好，欢迎致电国网供电服务热线95598。为了提高服务质量，您的通话可能会被录音。',
          'Welcome to the 95598 power supply service hotline. Your call may be recorded to help us improve our service.',
          'welcome-95598.wav',
        ),
        next: 'main',
      },
      {
        id: 'main',
        kind: 'menu',
        prompt: say(
          '电费及缴费业务请按1，停电查询及故障报修请按2，投诉建议请按3，For English service, please press 9，人工服务请按0，重听请按井号键。',
          'For bills and payments, press 1. For power outages and fault reports, press 2. For complaints and suggestions, press 3. For English service, press 9. To speak to an agent, press 0. To hear these options again, press the hash key.',
        ),
        options: { '1': 'billing', '2': 'outage', '3': 'complaint', '9': 'english', '0': 'agent', '#': '@repeat' },
        timeoutSeconds: 6,
        maxRetries: 2,
        invalidPrompt: say('对不起，您的输入有误，请重新选择。', 'Sorry, that is not a valid choice. Please try again.'),
        fallback: 'agent',
      },
      {
        id: 'billing',
        kind: 'menu',
        prompt: say('查询电费余额请按1，电费电价咨询请按2，返回上级菜单请按星号键。', 'To check your balance, press 1. For questions about bills and tariffs, press 2. To go back, press the star key.'),
        options: { '1': 'balance', '2': 'billing-queue', '*': '@back' },
        timeoutSeconds: 6,
        maxRetries: 2,
        invalidPrompt: say('对不起，您的输入有误，请重新选择。', 'Sorry, that is not a valid choice. Please try again.'),
        fallback: 'billing-queue',
      },
      {
        id: 'balance',
        kind: 'self_service',
        action: 'balance',
        parameter: 'electricity',
        prompt: say('正在为您查询电费余额，请稍候。', 'One moment while we look up your balance.'),
        next: 'balance-bye',
      },
      {
        id: 'balance-bye',
        kind: 'hang_up',
        prompt: say('您还可以通过“网上国网”App随时查询电费和缴费。感谢您的来电，再见。', 'You can also check and pay your bill at any time in the State Grid app. Thank you for calling, goodbye.'),
      },
      {
        id: 'billing-queue',
        kind: 'queue',
        queueId: queues.billing,
        prompt: say('正在为您转接电费业务坐席，请稍候。', 'Connecting you to our billing team, please hold.'),
      },
      {
        id: 'outage',
        kind: 'menu',
        prompt: say('查询停电公告请按1，故障报修请按2，返回上级菜单请按星号键。', 'To hear planned and current outages, press 1. To report a fault, press 2. To go back, press the star key.'),
        options: { '1': 'outage-notice', '2': 'repair-queue', '*': '@back' },
        timeoutSeconds: 6,
        maxRetries: 2,
        invalidPrompt: say('对不起，您的输入有误，请重新选择。', 'Sorry, that is not a valid choice. Please try again.'),
        fallback: 'repair-queue',
      },
      {
        id: 'outage-notice',
        kind: 'self_service',
        action: 'outage_notice',
        parameter: null,
        prompt: say('下面为您播报您所在地区的停电信息。', 'Here are the outages in your area.'),
        next: 'repair-queue',
      },
      {
        // No dedicated repair queue among the default queues: fault reports go to 综合咨询 (general).
        id: 'repair-queue',
        kind: 'queue',
        queueId: queues.general,
        prompt: say('如需报修，正在为您转接抢修受理坐席，请稍候。', 'If you need to report a fault, please hold for an agent.'),
      },
      {
        id: 'complaint',
        kind: 'queue',
        queueId: queues.complaint,
        prompt: say('正在为您转接投诉建议坐席，请稍候。', 'Connecting you to our complaints team, please hold.'),
      },
      {
        id: 'english',
        kind: 'queue',
        queueId: queues.english,
        prompt: say('正在为您转接英语服务坐席。', 'Connecting you to an English-speaking agent, please hold.'),
      },
      {
        id: 'agent',
        kind: 'queue',
        queueId: queues.general,
        prompt: say('正在为您转接人工服务，请稍候。', 'Connecting you to an agent, please hold.'),
      },
    ],
  };
}

export type SeedDemoCtiResult = { channelId: string; version: number; nodes: number };

/** Creates the demo CTI channel and publishes its IVR as version 1 (after the org and the contact defaults). */
export async function seedDemoCti(ctx: SeedContext, options: { secretKey?: SecretKey } = {}): Promise<SeedDemoCtiResult> {
  const { db, brandId, now } = ctx;
  const org = requireRef(ctx.refs, 'org');
  const rows = await db.selectFrom('queues').select(['id', 'code']).where('brand_id', '=', brandId).where('code', 'in', ['general', 'billing', 'complaint', 'english']).execute();
  const queueId = (code: string) => {
    const id = rows.find((q) => q.code === code)?.id;
    if (!id) throw new Error(`seed module order: queue "${code}" must be installed first`);
    return id;
  };
  const tree = buildDemoIvrTree({ general: queueId('general'), billing: queueId('billing'), complaint: queueId('complaint'), english: queueId('english') });
  const issues = validateIvrTree(tree);
  if (hasIvrErrors(issues)) throw new Error(`demo IVR is invalid: ${JSON.stringify(issues)}`);

  const secrets = { signingSecret: randomBytes(32).toString('hex') };
  await db
    .insertInto('channels')
    .values({
      id: DEMO_CTI_CHANNEL_ID,
      brand_id: brandId,
      type: 'cti',
      name: DEMO_CTI_CHANNEL_NAME,
      config: JSON.stringify({ agentExtensions: demoAgentExtensions(org.users) }),
      secrets: JSON.stringify(options.secretKey ? sealSecrets(options.secretKey, secrets) : secrets),
      queue_id: queueId('general'),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst();
  const by = admin?.id ?? null;
  await db.insertInto('ivr_documents').values({ channel_id: DEMO_CTI_CHANNEL_ID, draft: JSON.stringify(tree), version: 1, updated_by: by, updated_at: now }).execute();
  await db.insertInto('ivr_versions').values({ channel_id: DEMO_CTI_CHANNEL_ID, version: 1, tree: JSON.stringify(tree), published_by: by, published_at: now }).execute();
  return { channelId: DEMO_CTI_CHANNEL_ID, version: 1, nodes: tree.nodes.length };
}
