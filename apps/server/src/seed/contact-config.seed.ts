import { randomBytes } from 'node:crypto';
import type { DB } from '@kefu/db';
import type { BuiltinRole, ContactChannel, OverflowAction } from '@kefu/domain';
import { type Kysely, sql } from 'kysely';
import { installDefaultScripts } from './scripts.seed.ts';
import { CALENDAR_CODES } from './work-order-config.seed.ts';

// Live-contact defaults every installation gets: the queues (技能队列), the wrap-up reason tree
// (来电原因), the standard script library (标准话术, scripts.seed.ts), the website chat channel (官网在线客服) and an
// agent_states row for everyone who may handle contacts. All editable by an admin afterwards.

/** A default queue before it has an id; the calendar is resolved per brand. */
export type QueueDraft = {
  code: string;
  nameZh: string;
  nameEn: string;
  channels: readonly ContactChannel[];
  requiredSkills: readonly string[];
  maxWaitSeconds: number;
  accountManagerWaitSeconds: number;
  afterHoursAction: OverflowAction;
  overflowAction: OverflowAction;
  callbackWithinMinutes: number;
  serviceLevelSeconds: number;
  offerTimeoutSeconds: number;
  maxOffers: number;
};

const VOICE_AND_CHAT: readonly ContactChannel[] = ['call', 'chat', 'wechat'];

// Service level 80/20 on the hotline (the usual 95598 target); the language queues have two or
// three agents, so they wait less before offering a callback; key accounts get 10 s and a short
// callback promise.
export const DEFAULT_QUEUES: readonly QueueDraft[] = [
  {
    code: 'general',
    nameZh: '综合咨询',
    nameEn: 'General enquiries',
    channels: ['chat', 'wechat', 'call', 'sms', 'email'],
    requiredSkills: ['electricity'],
    maxWaitSeconds: 300,
    accountManagerWaitSeconds: 30,
    afterHoursAction: 'leave_message',
    // Mixed channels: a left message suits a chat, an SMS thread and a call alike.
    overflowAction: 'leave_message',
    callbackWithinMinutes: 120,
    serviceLevelSeconds: 20,
    offerTimeoutSeconds: 20,
    maxOffers: 3,
  },
  {
    code: 'billing',
    nameZh: '电费业务',
    nameEn: 'Billing',
    channels: VOICE_AND_CHAT,
    requiredSkills: ['billing'],
    maxWaitSeconds: 300,
    accountManagerWaitSeconds: 30,
    afterHoursAction: 'leave_message',
    overflowAction: 'callback',
    callbackWithinMinutes: 120,
    serviceLevelSeconds: 20,
    offerTimeoutSeconds: 20,
    maxOffers: 3,
  },
  {
    code: 'complaint',
    nameZh: '投诉建议',
    nameEn: 'Complaints and suggestions',
    channels: VOICE_AND_CHAT,
    requiredSkills: ['complaint'],
    maxWaitSeconds: 240,
    accountManagerWaitSeconds: 30,
    afterHoursAction: 'callback',
    overflowAction: 'callback',
    // A complainant who could not get through is called back within the hour.
    callbackWithinMinutes: 60,
    serviceLevelSeconds: 20,
    offerTimeoutSeconds: 20,
    maxOffers: 3,
  },
  {
    code: 'tibetan-amdo',
    nameZh: '藏语(安多)坐席',
    nameEn: 'Tibetan (Amdo) desk',
    channels: VOICE_AND_CHAT,
    requiredSkills: ['tibetan-amdo'],
    maxWaitSeconds: 180,
    accountManagerWaitSeconds: 30,
    afterHoursAction: 'callback',
    overflowAction: 'callback',
    callbackWithinMinutes: 240,
    serviceLevelSeconds: 30,
    offerTimeoutSeconds: 30,
    maxOffers: 2,
  },
  {
    code: 'tibetan-kham',
    nameZh: '藏语(康巴)坐席',
    nameEn: 'Tibetan (Kham) desk',
    channels: VOICE_AND_CHAT,
    requiredSkills: ['tibetan-kham'],
    maxWaitSeconds: 180,
    accountManagerWaitSeconds: 30,
    afterHoursAction: 'callback',
    overflowAction: 'callback',
    callbackWithinMinutes: 240,
    serviceLevelSeconds: 30,
    offerTimeoutSeconds: 30,
    maxOffers: 2,
  },
  {
    code: 'english',
    nameZh: 'English service',
    nameEn: 'English service',
    channels: ['call', 'chat', 'email'],
    requiredSkills: ['english'],
    maxWaitSeconds: 120,
    accountManagerWaitSeconds: 0,
    afterHoursAction: 'leave_message',
    overflowAction: 'leave_message',
    callbackWithinMinutes: 480,
    serviceLevelSeconds: 30,
    offerTimeoutSeconds: 30,
    maxOffers: 2,
  },
  {
    code: 'vip',
    nameZh: '重点客户',
    nameEn: 'Key accounts',
    channels: VOICE_AND_CHAT,
    requiredSkills: ['electricity'],
    maxWaitSeconds: 120,
    accountManagerWaitSeconds: 45,
    afterHoursAction: 'callback',
    overflowAction: 'callback',
    callbackWithinMinutes: 30,
    serviceLevelSeconds: 10,
    offerTimeoutSeconds: 15,
    maxOffers: 3,
  },
];

export type QueueCode = 'general' | 'billing' | 'complaint' | 'tibetan-amdo' | 'tibetan-kham' | 'english' | 'vip';

export type ReasonDraft = { code: string; nameZh: string; nameEn: string; children: readonly { code: string; nameZh: string; nameEn: string }[] };

/** The wrap-up reason tree (来电原因): top-level groups, each with leaves coded `group.leaf`. */
export const CONTACT_REASON_TREE: readonly ReasonDraft[] = [
  {
    code: 'outage',
    nameZh: '停电咨询',
    nameEn: 'Outage enquiry',
    children: [
      { code: 'planned', nameZh: '计划停电查询', nameEn: 'Planned outage schedule' },
      { code: 'fault-outage', nameZh: '故障停电原因', nameEn: 'Cause of an unplanned outage' },
      { code: 'restore-time', nameZh: '复电时间', nameEn: 'Expected restore time' },
      { code: 'area-outage', nameZh: '片区停电', nameEn: 'Area-wide outage' },
    ],
  },
  {
    code: 'billing',
    nameZh: '电费电价',
    nameEn: 'Bills and tariffs',
    children: [
      { code: 'bill-query', nameZh: '电费查询', nameEn: 'Bill or usage query' },
      { code: 'tariff', nameZh: '电价政策', nameEn: 'Tariff and tiered pricing' },
      { code: 'payment', nameZh: '缴费渠道', nameEn: 'How to pay' },
      { code: 'arrears', nameZh: '欠费停复电', nameEn: 'Arrears, disconnection and reconnection' },
      { code: 'refund', nameZh: '退费与余额', nameEn: 'Refund or prepaid balance' },
    ],
  },
  {
    code: 'repair',
    nameZh: '故障报修',
    nameEn: 'Fault report',
    children: [
      { code: 'no-power', nameZh: '无电报修', nameEn: 'No power at the premises' },
      { code: 'voltage', nameZh: '电压异常', nameEn: 'Low or unstable voltage' },
      { code: 'meter-fault', nameZh: '电能表故障', nameEn: 'Meter fault' },
      { code: 'safety-hazard', nameZh: '安全隐患', nameEn: 'Safety hazard' },
      { code: 'progress', nameZh: '抢修进度', nameEn: 'Repair progress' },
    ],
  },
  {
    code: 'business',
    nameZh: '业务办理',
    nameEn: 'Service requests',
    children: [
      { code: 'new-connection', nameZh: '新装增容', nameEn: 'New connection or capacity change' },
      { code: 'name-transfer', nameZh: '过户更名', nameEn: 'Change of account holder' },
      { code: 'solar', nameZh: '分布式光伏', nameEn: 'Rooftop solar' },
      { code: 'ev-charger', nameZh: '充电桩报装', nameEn: 'EV charger connection' },
      { code: 'progress', nameZh: '业务进度', nameEn: 'Application progress' },
    ],
  },
  {
    code: 'complaint',
    nameZh: '投诉',
    nameEn: 'Complaint',
    children: [
      { code: 'service', nameZh: '服务态度', nameEn: 'Staff attitude' },
      { code: 'supply', nameZh: '供电质量', nameEn: 'Supply quality' },
      { code: 'billing', nameZh: '电费争议', nameEn: 'Disputed bill' },
      { code: 'staff', nameZh: '工作人员违规', nameEn: 'Staff misconduct' },
      { code: 'progress', nameZh: '投诉进度', nameEn: 'Complaint progress' },
    ],
  },
  {
    code: 'advice',
    nameZh: '意见建议',
    nameEn: 'Suggestion',
    children: [
      { code: 'service', nameZh: '服务改进', nameEn: 'Service improvement' },
      { code: 'channels', nameZh: '线上渠道', nameEn: 'Online channels' },
      { code: 'grid', nameZh: '电网建设', nameEn: 'Grid construction' },
    ],
  },
  {
    code: 'praise',
    nameZh: '表扬',
    nameEn: 'Praise',
    children: [
      { code: 'staff', nameZh: '表扬工作人员', nameEn: 'Praise for staff' },
      { code: 'repair-crew', nameZh: '表扬抢修人员', nameEn: 'Praise for a repair crew' },
    ],
  },
  {
    code: 'other',
    nameZh: '其他',
    nameEn: 'Other',
    children: [
      { code: 'general', nameZh: '其他咨询', nameEn: 'Other enquiry' },
      { code: 'online', nameZh: '网上国网使用', nameEn: 'App and website help' },
      { code: 'report', nameZh: '举报线索', nameEn: 'Tip-off (theft, illegal use)' },
      { code: 'wrong-number', nameZh: '无效来电', nameEn: 'Wrong number or silent call' },
    ],
  },
];

/** Every leaf code of the tree (`group.leaf`), the codes contacts are wrapped up with. */
export function listReasonLeafCodes(tree: readonly ReasonDraft[] = CONTACT_REASON_TREE): string[] {
  return tree.flatMap((g) => g.children.map((c) => `${g.code}.${c.code}`));
}

export const WEBCHAT_CHANNEL_NAME = '官网在线客服';

/** The website chat widget's settings (read by the widget and the webchat callbacks). */
export function buildWebchatConfig() {
  return {
    greeting: '您好，欢迎使用95598在线客服！',
    color: '#1677ff',
    language: 'zh-CN',
    preChat: {
      enabled: true,
      fields: [
        { name: 'name', required: false },
        { name: 'phone', required: false },
      ],
    },
    topics: [
      { code: 'general', labelZh: '用电咨询', labelEn: 'General', queueCode: 'general' },
      { code: 'billing', labelZh: '电费缴纳', labelEn: 'Bills and payments', queueCode: 'billing' },
      { code: 'complaint', labelZh: '投诉建议', labelEn: 'Complaints and suggestions', queueCode: 'complaint' },
      { code: 'tibetan-amdo', labelZh: '藏语服务(安多)', labelEn: 'Tibetan (Amdo)', queueCode: 'tibetan-amdo' },
      { code: 'english', labelZh: '英语服务', labelEn: 'English', queueCode: 'english' },
    ],
    maxUploadBytes: 5_242_880,
    allowedUploadTypes: ['image/png', 'image/jpeg', 'image/gif', 'application/pdf'],
    // The self-service bot answers first from the public knowledge base and hands off to a person.
    bot: { enabled: true },
  };
}

/** The channels row of a brand's website chat, with a fresh identity secret; a random id unless given. */
export function buildWebchatChannel(brandId: string, generalQueueId: string | null, now: Date, id?: string) {
  return {
    ...(id ? { id } : {}),
    brand_id: brandId,
    type: 'webchat',
    name: WEBCHAT_CHANNEL_NAME,
    config: JSON.stringify(buildWebchatConfig()),
    // Signs the identity tokens a logged-in website passes to the widget (verified visitors).
    secrets: JSON.stringify({ identitySecret: randomBytes(32).toString('hex') }),
    queue_id: generalQueueId,
    created_at: now,
    updated_at: now,
  };
}

/** Roles that get an agent_states row: everyone who may take or supervise live contacts. */
export const CONTACT_HANDLING_ROLES: readonly BuiltinRole[] = ['agent', 'supervisor', 'dispatcher', 'account_manager'];

export type ContactDefaultsResult = { installed: boolean; queues: number; reasonCodes: number; scripts: number; channels: number; agentStates: number };

// Serialises two processes installing the contact defaults of one brand at the same moment.
const CONTACT_DEFAULTS_LOCK = 955_980_004;

/**
 * Writes the live-contact defaults of a brand: queues, reason tree, the script library, the website
 * chat channel and agent states. Does nothing when the brand already has queues (an admin's
 * edits are never overwritten). Needs the work-order calendars: the queues use the 24x7 calendar
 * (the 95598 hotline answers around the clock), else the working-day one. Runs in the caller's
 * transaction when given one, else in its own.
 */
export async function installContactDefaults(
  db: Kysely<DB>,
  brandId: string,
  options: { webchatChannelId?: string; now?: Date } = {},
): Promise<ContactDefaultsResult> {
  if (!db.isTransaction) return db.transaction().execute((trx) => installContactDefaults(trx, brandId, options));
  await sql`select pg_advisory_xact_lock(${CONTACT_DEFAULTS_LOCK}, hashtext(${brandId}))`.execute(db);
  const existing = await db.selectFrom('queues').select('id').where('brand_id', '=', brandId).limit(1).executeTakeFirst();
  if (existing) return { installed: false, queues: 0, reasonCodes: 0, scripts: 0, channels: 0, agentStates: 0 };
  const now = options.now ?? new Date();

  const calendars = await db
    .selectFrom('calendars')
    .select(['id', 'code'])
    .where('brand_id', '=', brandId)
    .where('code', 'in', [CALENDAR_CODES.allDay, CALENDAR_CODES.workdays])
    .execute();
  const calendarId = (calendars.find((c) => c.code === CALENDAR_CODES.allDay) ?? calendars.find((c) => c.code === CALENDAR_CODES.workdays))?.id ?? null;

  const queues = await db
    .insertInto('queues')
    .values(
      DEFAULT_QUEUES.map((q, i) => ({
        brand_id: brandId,
        code: q.code,
        name_zh: q.nameZh,
        name_en: q.nameEn,
        channels: [...q.channels],
        required_skills: [...q.requiredSkills],
        calendar_id: calendarId,
        max_wait_seconds: q.maxWaitSeconds,
        account_manager_wait_seconds: q.accountManagerWaitSeconds,
        after_hours_action: q.afterHoursAction,
        overflow_action: q.overflowAction,
        callback_within_minutes: q.callbackWithinMinutes,
        service_level_seconds: q.serviceLevelSeconds,
        offer_timeout_seconds: q.offerTimeoutSeconds,
        max_offers: q.maxOffers,
        position: (i + 1) * 10,
        created_at: now,
        updated_at: now,
      })),
    )
    .returning(['id', 'code'])
    .execute();
  const generalQueueId = queues.find((q) => q.code === 'general')?.id ?? null;

  // Parents first: the parent foreign key needs them.
  const reasons = [
    ...CONTACT_REASON_TREE.map((g, i) => ({ brand_id: brandId, code: g.code, parent_code: null, name_zh: g.nameZh, name_en: g.nameEn, position: (i + 1) * 10 })),
    ...CONTACT_REASON_TREE.flatMap((g) =>
      g.children.map((c, j) => ({ brand_id: brandId, code: `${g.code}.${c.code}`, parent_code: g.code, name_zh: c.nameZh, name_en: c.nameEn, position: (j + 1) * 10 })),
    ),
  ];
  await db.insertInto('reason_codes').values(reasons).execute();

  const scripts = await installDefaultScripts(db, brandId, now);

  await db.insertInto('channels').values(buildWebchatChannel(brandId, generalQueueId, now, options.webchatChannelId)).execute();

  const agentStates = await ensureAgentStates(db, brandId, now);
  return { installed: true, queues: queues.length, reasonCodes: reasons.length, scripts, channels: 1, agentStates };
}

/**
 * Gives every user of the brand who may handle contacts (CONTACT_HANDLING_ROLES) an agent_states
 * row, logged out; users who have one keep it. Returns how many rows were added.
 */
export async function ensureAgentStates(db: Kysely<DB>, brandId: string, now: Date = new Date()): Promise<number> {
  const result = await db
    .insertInto('agent_states')
    .columns(['user_id', 'brand_id', 'state', 'since', 'updated_at'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .innerJoin('user_brands', 'user_brands.user_id', 'users.id')
        .select((s) => ['users.id', s.val(brandId).as('brand_id'), s.val('offline').as('state'), s.val(now).as('since'), s.val(now).as('updated_at')])
        .where('user_brands.brand_id', '=', brandId)
        .where('users.role', 'in', [...CONTACT_HANDLING_ROLES])
        .orderBy('users.id'),
    )
    .onConflict((oc) => oc.column('user_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The agent_states row of one user created or given a contact role later (logged out), when the
 * role may handle contacts and the user has none yet. True when the user has a row afterwards.
 */
export async function ensureAgentState(db: Kysely<DB>, userId: string, brandId: string): Promise<boolean> {
  await db
    .insertInto('agent_states')
    .columns(['user_id', 'brand_id'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select((s) => ['users.id', s.val(brandId).as('brand_id')])
        .where('users.id', '=', userId)
        .where('users.role', 'in', [...CONTACT_HANDLING_ROLES]),
    )
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const row = await db.selectFrom('agent_states').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}
