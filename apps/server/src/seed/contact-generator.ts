import {
  advanceContact,
  CN_2026_HOLIDAYS,
  CN_2026_WORKDAYS,
  type ContactAction,
  type ContactChannel,
  type ContactState,
  createContact,
  getContactPriority,
  type OverflowAction,
} from '@kefu/domain';
import { CONTACT_REASON_TREE, type QueueCode } from './contact-config.seed.ts';
import type { Rng } from './rng.ts';

// Pure generator of the demo contacts (联络): three months of calls, chats, WeChat sessions,
// SMS, email, walk-ins and outbound calls with the volume shape of a provincial 95598 center,
// waits that grow with the load of the hour, abandons, overflows to callbacks, wrap-up reasons
// and the originating contact of most work orders. Every contact's timeline is played through the
// domain's `advanceContact`, so the stored columns and contact_events replay exactly.

// ---------------------------------------------------------------------------------------------
// Input and output

export type ContactWorldQueue = {
  id: string;
  code: string;
  channels: readonly string[];
  requiredSkills: readonly string[];
  maxWaitSeconds: number;
  overflowAction: OverflowAction;
  callbackWithinMinutes: number;
  offerTimeoutSeconds: number;
};

export type ContactWorldAgent = { id: string; username: string; displayName: string; role: string; skills: readonly string[] };

export type ContactWorldCustomer = {
  id: string;
  name: string;
  areaId: string | null;
  preferredLanguage: string;
  flags: readonly string[];
  phone: string | null;
  email: string | null;
  wechatOpenid: string | null;
  /** The area's account manager (台区客户经理). */
  accountManagerId: string | null;
};

export type ContactWorldTicket = {
  id: string;
  customerId: string;
  /** The work order's intake channel: phone, web, wechat, sms, email, walk_in. */
  channel: string;
  categoryCode: string;
  createdAt: Date;
  createdBy: string | null;
  incidentId: string | null;
};

export type ContactWorldIncident = { id: string; areaIds: readonly string[]; startedAt: Date; resolvedAt: Date | null };

export type ContactWorld = {
  now: Date;
  queues: readonly ContactWorldQueue[];
  /** Users who may take contacts: agents and supervisors. */
  agents: readonly ContactWorldAgent[];
  customers: readonly ContactWorldCustomer[];
  /** The seeded work orders; about 60% get their originating contact. */
  tickets: readonly ContactWorldTicket[];
  incidents: readonly ContactWorldIncident[];
  /** Leaf codes of the brand's reason tree. */
  reasonCodes: readonly string[];
  /** DemoCustomerFixture key → customer id. */
  fixtures: Readonly<Record<string, string>>;
  /** The website chat channel (conversations of chat contacts point at it). */
  webchatChannelId: string | null;
};

export type GenerateContactsOptions = {
  /** Contacts in all: ticket-linked, incident, fixture and the rest. */
  count: number;
  /** How far back (default 90 days). */
  days?: number;
};

type JsonScalar = string | number | boolean | null;

export type GeneratedContactEvent = {
  type: string;
  from: string;
  to: string;
  at: Date;
  actorId: string | null;
  details: Record<string, JsonScalar>;
};

export type GeneratedContact = {
  id: string;
  channel: ContactChannel;
  direction: 'inbound' | 'outbound';
  status: string;
  queueId: string | null;
  queueCode: string | null;
  agentId: string | null;
  customerId: string | null;
  priority: string;
  requiredSkills: string[];
  accountManagerId: string | null;
  declinedAgentIds: string[];
  createdAt: Date;
  queuedAt: Date | null;
  waitingSince: Date | null;
  offeredAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  wrappedUpAt: Date | null;
  lastChangedAt: Date;
  talkMs: number;
  holdMs: number;
  offerCount: number;
  endReason: string | null;
  overflowAction: OverflowAction | null;
  reasonCode: string | null;
  outcome: string | null;
  fromAddress: string | null;
  toAddress: string | null;
  conversationId: string | null;
  /** The work order this contact created (contact_tickets, tickets.origin_contact_id). */
  ticketId: string | null;
  version: number;
  events: GeneratedContactEvent[];
};

export type GeneratedMessage = {
  id: string;
  seq: number;
  contactId: string;
  senderType: 'customer' | 'agent' | 'system';
  senderId: string | null;
  senderName: string | null;
  body: string;
  createdAt: Date;
};

export type GeneratedConversation = {
  id: string;
  channel: ContactChannel;
  channelId: string | null;
  customerId: string | null;
  subject: string | null;
  createdAt: Date;
  closedAt: Date;
  lastMessageAt: Date;
  messages: GeneratedMessage[];
};

export type GeneratedCallbackTask = {
  id: string;
  contactId: string;
  customerId: string | null;
  queueId: string | null;
  kind: OverflowAction;
  name: string | null;
  phone: string | null;
  message: string | null;
  dueAt: Date;
  status: 'open' | 'done';
  assigneeId: string | null;
  outcome: string | null;
  createdAt: Date;
  doneAt: Date | null;
};

export type GeneratedContacts = {
  contacts: GeneratedContact[];
  conversations: GeneratedConversation[];
  callbackTasks: GeneratedCallbackTask[];
};

// ---------------------------------------------------------------------------------------------
// Clock and shape

// Asia/Shanghai has kept UTC+8 without DST since 1991: local clock arithmetic by a fixed offset.
const OFFSET_MS = 8 * 3_600_000;
const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const SLOT = 30 * MINUTE;
const SLOTS_PER_DAY = 48;

const localDayStart = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY) * DAY - OFFSET_MS;
const localDayNumber = (ms: number) => Math.floor((ms + OFFSET_MS) / DAY);
const localMinute = (ms: number) => Math.floor((((ms + OFFSET_MS) % DAY) + DAY) % DAY / MINUTE);
const localDate = (ms: number) => new Date(ms + OFFSET_MS).toISOString().slice(0, 10);

/** Local weekday 0 (Sunday) … 6 of an instant in Asia/Shanghai. */
export function getLocalWeekday(at: Date): number {
  return new Date(at.getTime() + OFFSET_MS).getUTCDay();
}

/** Local hour 0…23 of an instant in Asia/Shanghai. */
export function getLocalHour(at: Date): number {
  return Math.floor(localMinute(at.getTime()) / 60);
}

export const CHANNEL_SHARES: readonly (readonly [ContactChannel, number])[] = [
  ['call', 0.55],
  ['chat', 0.2],
  ['wechat', 0.15],
  ['sms', 0.04],
  ['email', 0.03],
  ['walk_in', 0.02],
  ['outbound', 0.01],
];

// Half-hour weights 08:00 … 21:30: morning peak 09–11, lunch dip 12–13:30, afternoon peak
// 14–16:30, an evening tail to 22:00.
const DAYTIME = [0.5, 0.8, 1.0, 1.1, 1.1, 1.0, 0.9, 0.75, 0.5, 0.45, 0.5, 0.7, 0.9, 1.0, 1.05, 1.0, 0.95, 0.8, 0.7, 0.6, 0.55, 0.55, 0.55, 0.5, 0.45, 0.4, 0.3, 0.2];
// The hotline never closes: a trickle of calls 22:00–08:00 (outages, repairs).
const NIGHT_EARLY = [0.08, 0.06, 0.05, 0.04, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.04, 0.05, 0.06, 0.08, 0.12, 0.2];
const NIGHT_LATE = [0.15, 0.12, 0.1, 0.09];

function halfHourShape(channel: ContactChannel): number[] {
  const day = [...new Array(16).fill(0), ...DAYTIME, ...new Array(4).fill(0)];
  switch (channel) {
    case 'call':
      return [...NIGHT_EARLY, ...DAYTIME, ...NIGHT_LATE];
    case 'walk_in':
      // The service hall: 08:30–17:30.
      return day.map((w, i) => (i >= 17 && i < 35 ? w : 0));
    case 'outbound':
      // Follow-up calls 09:00–12:00 and 14:00–18:00.
      return day.map((_, i) => ((i >= 18 && i < 24) || (i >= 28 && i < 36) ? 1 : 0));
    case 'chat':
    case 'wechat':
    case 'sms':
    case 'email':
      return day;
    default:
      return day;
  }
}

// Monday after the weekend is the busiest day; weekends and public holidays are quiet.
const WEEKDAY_FACTOR = [0.6, 1.3, 1.1, 1.0, 1.0, 0.95, 0.6];
const HOLIDAYS = new Set(CN_2026_HOLIDAYS);
const SWAPPED_WORKDAYS = new Set(CN_2026_WORKDAYS);

function dayFactor(dayStartMs: number, noise: number): number {
  const date = localDate(dayStartMs);
  if (HOLIDAYS.has(date)) return 0.55 * noise;
  const weekday = new Date(dayStartMs + OFFSET_MS).getUTCDay();
  if (SWAPPED_WORKDAYS.has(date)) return 1 * noise;
  return WEEKDAY_FACTOR[weekday] * noise;
}

// ---------------------------------------------------------------------------------------------
// Reasons

type Weighted<T> = readonly (readonly [T, number])[];

const GROUPS_BY_CHANNEL: Readonly<Record<ContactChannel, Weighted<string>>> = {
  call: [['outage', 22], ['billing', 22], ['repair', 18], ['business', 12], ['complaint', 5], ['advice', 2], ['praise', 2], ['other', 17]],
  chat: [['outage', 12], ['billing', 30], ['repair', 8], ['business', 22], ['complaint', 5], ['advice', 4], ['praise', 2], ['other', 17]],
  wechat: [['outage', 14], ['billing', 32], ['repair', 8], ['business', 20], ['complaint', 5], ['advice', 3], ['praise', 2], ['other', 16]],
  sms: [['billing', 50], ['outage', 25], ['other', 25]],
  email: [['business', 35], ['billing', 25], ['complaint', 15], ['advice', 10], ['other', 15]],
  walk_in: [['business', 60], ['billing', 40]],
  outbound: [],
};

// Leaves a random contact is never wrapped up with: the incident has its own, and a wrong number
// is only for the very short calls.
const SPECIAL_LEAVES = new Set(['outage.area-outage', 'other.wrong-number']);

// Work-order categories (longest prefix first) → the reason the originating contact is wrapped up with.
const CATEGORY_REASONS: readonly (readonly [string, string])[] = [
  ['fault-repair.metering', 'repair.meter-fault'],
  ['fault-repair.power-quality', 'repair.voltage'],
  ['fault-repair', 'repair.no-power'],
  ['complaint.service-attitude', 'complaint.service'],
  ['complaint.outage', 'complaint.supply'],
  ['complaint.supply-quality', 'complaint.supply'],
  ['complaint.meter-reading-billing', 'complaint.billing'],
  ['complaint.tariff', 'complaint.billing'],
  ['complaint.staff', 'complaint.staff'],
  ['complaint', 'complaint.service'],
  ['report', 'other.report'],
  ['opinion.channels', 'advice.channels'],
  ['suggestion.grid-planning', 'advice.grid'],
  ['opinion.grid-construction', 'advice.grid'],
  ['suggestion.online-services', 'advice.channels'],
  ['opinion', 'advice.service'],
  ['suggestion', 'advice.service'],
  ['praise.repair-crew', 'praise.repair-crew'],
  ['praise', 'praise.staff'],
  ['service-request.name-transfer', 'business.name-transfer'],
  ['service-request.ev-charger', 'business.ev-charger'],
  ['service-request.reconnection', 'billing.arrears'],
  ['service-request.billing-check', 'billing.bill-query'],
  ['service-request.time-of-use', 'billing.tariff'],
  ['service-request', 'business.new-connection'],
  ['inquiry.tariff', 'billing.tariff'],
  ['inquiry.billing', 'billing.bill-query'],
  ['inquiry.outage-info', 'outage.fault-outage'],
  ['inquiry.metering', 'billing.bill-query'],
  ['inquiry.distributed-solar', 'business.solar'],
  ['inquiry.online-services', 'other.online'],
  ['inquiry', 'other.general'],
  ['subscription', 'other.online'],
  ['urging.repair-progress', 'repair.progress'],
  ['urging.complaint-progress', 'complaint.progress'],
  ['urging.refund-progress', 'billing.refund'],
  ['urging', 'business.progress'],
];

/** The wrap-up reason of the contact a work order came from (an incident's calls: area outage). */
export function getReasonForCategory(categoryCode: string, incident: boolean): string {
  if (incident) return 'outage.area-outage';
  const hit = CATEGORY_REASONS.find(([prefix]) => categoryCode === prefix || categoryCode.startsWith(`${prefix}.`));
  return hit ? hit[1] : 'other.general';
}

const REASON_NAMES = new Map(CONTACT_REASON_TREE.flatMap((g) => [[g.code, g.nameZh] as const, ...g.children.map((c) => [`${g.code}.${c.code}`, c.nameZh] as const)]));

// ---------------------------------------------------------------------------------------------
// Chat wording (own text, short lines as people type them)

/** A question and the agent's answer to it, then optional follow-ups (question, answer). */
type GroupTexts = { pairs: readonly (readonly [string, string])[]; more: readonly (readonly [string, string])[] };

const ZH_TEXTS: Readonly<Record<string, GroupTexts>> = {
  outage: {
    pairs: [
      ['我家突然停电了，是线路故障吗？', '查询到您所在片区因线路故障停电，抢修人员已到现场，预计两小时内恢复供电。'],
      ['请问今天我们小区为什么停电？什么时候能来电？', '您所在线路今天因设备检修停电，计划17:00前恢复，请您提前做好准备。'],
      ['听说明天要计划停电，是几点到几点？', '您所在线路明天08:00至17:00有计划检修停电，届时请提前做好准备。'],
      ['楼里一半有电一半没电，怎么回事', '您所在台区目前供电正常，可能是楼内线路或表箱问题，我帮您登记报修。'],
    ],
    more: [
      ['来电后需要做什么吗？', '来电后一般不需要操作，如果家里总闸跳了，合上即可。'],
      ['冰箱里的东西会不会坏啊', '停电时尽量少开冰箱门，一般几个小时内影响不大。'],
    ],
  },
  billing: {
    pairs: [
      ['我这个月电费怎么比上个月高这么多？', '查询到您上月用电量比前一个月多了120度左右，主要是天冷取暖用电增加，已进入第二档电价。'],
      ['想问一下阶梯电价是怎么算的', '居民阶梯电价按年累计：每年2160度以内为第一档，2161至4200度为第二档，超过部分为第三档。'],
      ['在哪里可以交电费？微信可以吗？', '可以的，微信生活缴费、支付宝、网上国网App和营业厅都能缴，到账一般几分钟。'],
      ['交完电费了怎么还没来电？', '您的缴费已经到账，远程复电指令已发出，请在30分钟内留意，家里需要合一下总闸。'],
      ['帮我查一下上个月用了多少度电', '您上个月用电286度，电费149.80元，已通过微信缴清。'],
    ],
    more: [
      ['可以开电子发票吗？', '可以，在网上国网App“电费发票”里就能申请和下载。'],
      ['能不能每个月自动扣款', '可以办理银行代扣，带上银行卡和户号到营业厅或在App上签约即可。'],
    ],
  },
  repair: {
    pairs: [
      ['家里电压很低，空调都开不起来', '已为您登记电压异常报修，抢修人员会在45分钟内联系您上门测量。'],
      ['表箱那边电线在冒火花，很危险', '请您和家人远离表箱，不要自行处理，抢修班组已经出发。'],
      ['电表一直闪红灯，是不是坏了', '红灯闪烁一般是余额不足提醒，我帮您查一下……您的余额还有8.6元，建议尽快充值。'],
      ['我上午报修的，师傅什么时候到？', '查询到抢修人员正在赶往现场，预计20分钟内到达，请稍候。'],
    ],
    more: [
      ['需要我在家等吗？', '需要的话抢修人员会提前电话联系您，表箱在户外的话不用专门等。'],
      ['修电表要收费吗', '电能表本身的故障由供电公司免费处理。'],
    ],
  },
  business: {
    pairs: [
      ['我想给新房装个电表，需要准备什么材料？', '居民新装只需户主身份证和房产证明，在网上国网App上即可申请，不用跑营业厅。'],
      ['房子买了，电费户名想过户到我名下', '过户需要新户主身份证和房屋产权证明，线上提交后一般3个工作日内办结。'],
      ['屋顶想装光伏发电，怎么申请并网？', '分布式光伏并网可以在App“新装”里选择光伏发电申请，我们会安排人员上门勘查。'],
      ['车位想装充电桩，怎么报装？', '充电桩报装需要物业同意安装的证明和车位产权或租赁证明，App上可以直接申请。'],
      ['我的增容申请现在到哪一步了？', '查询到您的申请已完成现场勘查，目前在制定供电方案，预计本周内会联系您。'],
    ],
    more: [
      ['办理要花钱吗？', '居民新装和过户都不收取业务费用。'],
      ['可以找人代办吗', '可以，代办人需携带双方身份证和委托书。'],
    ],
  },
  complaint: {
    pairs: [
      ['抄表员态度很差，我要投诉', '非常抱歉给您带来不好的体验，已为您登记投诉，相关部门会在1个工作日内与您联系。'],
      ['我们这里电压老是不稳，反映好几次了都没解决', '您反映的情况我已经详细记录，会督促责任单位尽快核实处理并给您答复。'],
      ['这个月电费明显不对，我要投诉', '已为您登记电费异议，我们会核对电能表读数，3个工作日内给您答复。'],
      ['上次投诉到现在都没人回复', '查询到您的投诉正在处理中，我已再次催办，处理人员今天内会联系您。'],
    ],
    more: [
      ['能不能快一点，已经好几天了', '理解您的心情，我这边标注为加急，会跟进到底。'],
      ['处理结果会通知我吗', '会的，处理完成后会电话回访并短信告知结果。'],
    ],
  },
  advice: {
    pairs: [
      ['建议App上增加停电地图功能', '感谢您的建议，已经记录并反馈给负责App的部门，我们会认真研究。'],
      ['营业厅排队太久了，能不能多开几个窗口', '谢谢您的宝贵意见，我们会转给营业厅评估高峰时段的窗口安排。'],
      ['我们村的线路太老了，建议改造一下', '感谢您的反映，已转给电网规划部门，会纳入线路改造的评估。'],
    ],
    more: [['会有人回复我吗？', '建议采纳情况会在10个工作日内短信告知您。']],
  },
  praise: {
    pairs: [
      ['昨天来修电的师傅很辛苦，想表扬一下', '非常感谢您的认可和鼓励，我们会把您的表扬转达给抢修班组。'],
      ['上次的客服很耐心，帮我解决了问题，谢谢你们', '谢谢您的肯定，我们会转达给这位同事，也会继续努力做好服务。'],
    ],
    more: [],
  },
  other: {
    pairs: [
      ['网上国网App登录不了怎么办？', '可以试试在登录页点击“忘记密码”用手机验证码重置，仍然不行的话请更新到最新版本。'],
      ['我发现有人私拉电线偷电，想举报', '感谢您的举报，我们会安排人员现场核查，并对您的信息严格保密。'],
      ['请问营业厅周末上班吗？', '营业厅周六周日正常营业，时间是09:00至17:00。'],
    ],
    more: [['还有别的办法吗', '也可以直接拨打95598由人工帮您处理。']],
  },
};

const ZH_OPENERS = ['你好', '您好，在吗？', '你好，想咨询个问题', '人工客服', '您好'];
const ZH_ACCOUNT = ['户号是{meter}，户主{name}', '户号{meter}', '我的户号是{meter}'];
const ZH_THANKS = ['好的，谢谢', '明白了，谢谢你', '好的，麻烦了', '行，知道了'];
const ZH_STILL_WAITING = ['还要等多久？', '有人吗？', '怎么一直在排队'];
const ZH_LEFT_MESSAGE = ['家里停电了，请尽快回电', '电费的问题想咨询一下，方便时回电话', '麻烦尽快联系我，谢谢'];

const EN_TEXTS: GroupTexts = {
  pairs: [
    ['Hi, my power has been off since this morning. Is there an outage?', 'There is a line fault in your area. The repair crew is on site and expects to restore power within two hours.'],
    ['Can you explain why my bill is higher this month?', 'Your usage last month was about 120 kWh higher, mostly heating, so part of it is billed at the second tier.'],
    ['How do I pay my electricity bill online?', 'You can pay in the State Grid app, through WeChat or Alipay, or by direct debit from your bank.'],
    ['I cannot log in to the State Grid app.', 'Please try “Forgot password” on the login page and reset it with an SMS code.'],
  ],
  more: [['Can I get an electronic invoice?', 'Yes, you can download it in the app under “Bills”.']],
};

const AGENT_GREETING_ZH = (agent: string) => `您好，我是${agent}，很高兴为您服务，请问有什么可以帮您？`;
const AGENT_GREETING_AMDO = (agent: string) => `扎西德勒！我是藏语坐席${agent}，请问有什么可以帮您？`;
const AGENT_VERIFY_ZH = '为保护您的用电信息，请提供户号和户主姓名。';
const AGENT_BYE_ZH = '请问还有其他可以帮您的吗？感谢您的咨询，祝您生活愉快！';
const AGENT_TICKET_ZH = '已为您提交工单，处理进展会以短信通知，您也可以在网上国网App查询。';

// ---------------------------------------------------------------------------------------------
// Planning

type Plan = {
  id: string;
  channel: ContactChannel;
  /** Arrival: the call rings, the chat opens. */
  createdMs: number;
  customer: ContactWorldCustomer | null;
  /** The customer id when the customer is outside the loaded sample (ticket callers). */
  customerId: string | null;
  queue: ContactWorldQueue | null;
  reasonCode: string;
  ticket: ContactWorldTicket | null;
  /** The agent who took it (ticket-linked contacts: the order's author). */
  agentId: string | null;
  /** Ticket-linked: the answer time is fixed by the order (its creation minus the talk). */
  answerAtMs: number | null;
  talkMs: number;
  /** Fixture contacts: what happens, decided by the script. */
  fate?: 'abandon' | 'overflow';
  /** Drawn once the load is known (drawWaiting): how the contact would wait if it stayed. */
  wait?: Waiting;
};

/** A queued contact's draw: the queue decides the wait, the customer's patience decides the rest. */
type Waiting = {
  entryMs: number;
  ringMs: number;
  /** Queued → answered, if the customer stays. */
  waitMs: number;
  /** Misdials and instant hang-ups: a fixed patience of a few seconds. */
  shortPatienceMs: number | null;
  /** Patience in units of the channel's mean (Exp(1)); the mean is calibrated (see calibrateLeaving). */
  patienceUnit: number;
  /** Uniform [0, 1): takes the "leave a message / call me back" offer when below the calibrated share. */
  offerRoll: number;
};

type Ctx = {
  world: ContactWorld;
  nowMs: number;
  windowStart: number;
  queues: Map<string, ContactWorldQueue>;
  validReasons: Set<string>;
  leavesByGroup: Map<string, string[]>;
  customers: readonly ContactWorldCustomer[];
  frequentCallers: readonly ContactWorldCustomer[];
  withWechat: readonly ContactWorldCustomer[];
  withEmail: readonly ContactWorldCustomer[];
  customersById: Map<string, ContactWorldCustomer>;
  customersByArea: Map<string, ContactWorldCustomer[]>;
  agentsById: Map<string, ContactWorldAgent>;
  agentIndex: Map<string, number>;
  /** Queue code → agents (role agent) holding its skills; supervisors apart. */
  eligible: Map<string, ContactWorldAgent[]>;
  eligibleSupervisors: Map<string, ContactWorldAgent[]>;
  anyAgents: ContactWorldAgent[];
  busyUntil: Map<string, number>;
  /**
   * Every row id comes from this one stream. mulberry32 forks are shifted windows of one 2^32
   * cycle, so thousands of per-contact forks would overlap and repeat ids; one stream never does.
   */
  ids: Rng;
  /** Seconds of patience per unit (calibrated so about ABANDON_SHARE of all contacts abandon). */
  patienceScale: number;
  /** Share of long waiters who take the overflow offer (calibrated to about OVERFLOW_SHARE). */
  overflowOfferShare: number;
};

function buildCtx(world: ContactWorld, days: number, ids: Rng): Ctx {
  const nowMs = world.now.getTime();
  const windowStart = localDayStart(nowMs) - (days - 1) * DAY;
  const validReasons = new Set(world.reasonCodes);
  const leavesByGroup = new Map<string, string[]>();
  for (const code of world.reasonCodes) {
    const group = code.split('.')[0];
    if (SPECIAL_LEAVES.has(code)) continue;
    if (!leavesByGroup.has(group)) leavesByGroup.set(group, []);
    leavesByGroup.get(group)?.push(code);
  }
  const fixtureIds = new Set(Object.values(world.fixtures));
  // The demo customers keep their scripted contacts (and those of their orders) only.
  const customers = world.customers.filter((c) => !fixtureIds.has(c.id));
  const customersByArea = new Map<string, ContactWorldCustomer[]>();
  for (const c of customers) {
    if (c.areaId === null) continue;
    if (!customersByArea.has(c.areaId)) customersByArea.set(c.areaId, []);
    customersByArea.get(c.areaId)?.push(c);
  }
  const agents = world.agents.filter((a) => a.role === 'agent');
  const supervisors = world.agents.filter((a) => a.role === 'supervisor');
  const holds = (a: ContactWorldAgent, q: ContactWorldQueue) => q.requiredSkills.every((s) => a.skills.includes(s));
  const eligible = new Map<string, ContactWorldAgent[]>();
  const eligibleSupervisors = new Map<string, ContactWorldAgent[]>();
  for (const q of world.queues) {
    eligible.set(q.code, agents.filter((a) => holds(a, q)));
    eligibleSupervisors.set(q.code, supervisors.filter((a) => holds(a, q)));
  }
  return {
    world,
    nowMs,
    windowStart,
    queues: new Map(world.queues.map((q) => [q.code, q])),
    validReasons,
    leavesByGroup,
    customers,
    frequentCallers: customers.filter((_, i) => i % 20 === 11),
    withWechat: customers.filter((c) => c.wechatOpenid !== null),
    withEmail: customers.filter((c) => c.email !== null),
    customersById: new Map(world.customers.map((c) => [c.id, c])),
    customersByArea,
    agentsById: new Map(world.agents.map((a) => [a.id, a])),
    agentIndex: new Map(world.agents.map((a, i) => [a.id, i])),
    eligible,
    eligibleSupervisors,
    anyAgents: agents.length > 0 ? agents : [...world.agents],
    busyUntil: new Map(),
    ids,
    patienceScale: 60,
    overflowOfferShare: 0.4,
  };
}

/** A reason code the brand has: the wanted one, else a leaf of its group, else any leaf. */
function validReason(ctx: Ctx, rng: Rng, code: string): string {
  if (ctx.validReasons.has(code)) return code;
  const group = ctx.leavesByGroup.get(code.split('.')[0]);
  if (group && group.length > 0) return rng.pick(group);
  return ctx.world.reasonCodes.length > 0 ? rng.pick(ctx.world.reasonCodes) : code;
}

// Outbound calls follow something up: a repair, a complaint, an application, a bill in arrears.
const OUTBOUND_REASONS: Weighted<string> = [['repair.progress', 30], ['complaint.progress', 30], ['business.progress', 25], ['billing.arrears', 15]];

function pickReason(ctx: Ctx, rng: Rng, channel: ContactChannel): string {
  if (channel === 'outbound') return validReason(ctx, rng, rng.weighted(OUTBOUND_REASONS));
  const groups = GROUPS_BY_CHANNEL[channel].filter(([g]) => ctx.leavesByGroup.has(g));
  if (groups.length === 0) return validReason(ctx, rng, 'other.general');
  return rng.pick(ctx.leavesByGroup.get(rng.weighted(groups)) ?? []);
}

function pickCustomer(ctx: Ctx, rng: Rng, channel: ContactChannel): ContactWorldCustomer | null {
  // About 10% of contacts stay anonymous: unknown numbers, visitors who never say who they are.
  const anonymous: Record<ContactChannel, number> = { call: 0.08, chat: 0.2, wechat: 0.1, sms: 0.05, email: 0.1, walk_in: 0.05, outbound: 0 };
  if (ctx.customers.length === 0 || rng.chance(anonymous[channel])) return null;
  if (channel === 'wechat' && ctx.withWechat.length > 0 && rng.chance(0.8)) return rng.pick(ctx.withWechat);
  if (channel === 'email' && ctx.withEmail.length > 0) return rng.pick(ctx.withEmail);
  // A twentieth of the customers makes about a sixth of the contacts (repeat callers).
  if (ctx.frequentCallers.length > 0 && rng.chance(0.15)) return rng.pick(ctx.frequentCallers);
  return rng.pick(ctx.customers);
}

/** The queue a contact waits in: language and key-account desks first, then the IVR / topic choice. */
function pickQueue(ctx: Ctx, rng: Rng, channel: ContactChannel, customer: ContactWorldCustomer | null, reasonCode: string): ContactWorldQueue | null {
  if (channel === 'walk_in' || channel === 'outbound') return null;
  const fits = (code: QueueCode) => {
    const q = ctx.queues.get(code);
    return q?.channels.includes(channel) ? q : undefined;
  };
  const general = ctx.queues.get('general') ?? ctx.world.queues[0] ?? null;
  const lang = customer?.preferredLanguage;
  let wanted: QueueCode | null = null;
  if (lang === 'bo-amdo' && rng.chance(0.85)) wanted = 'tibetan-amdo';
  else if (lang === 'bo-kham' && rng.chance(0.85)) wanted = 'tibetan-kham';
  else if (lang === 'en-US' && rng.chance(0.9)) wanted = 'english';
  else if (customer?.flags.includes('key_account') && rng.chance(0.85)) wanted = 'vip';
  else if (customer === null && rng.chance(0.015)) wanted = rng.pick(['tibetan-amdo', 'english'] as const);
  if (wanted === null || !fits(wanted)) {
    const group = reasonCode.split('.')[0];
    if (group === 'billing' && rng.chance(0.75)) wanted = 'billing';
    else if (group === 'complaint' && rng.chance(0.85)) wanted = 'complaint';
    else if (group === 'advice' && rng.chance(0.5)) wanted = 'complaint';
    else wanted = 'general';
  }
  return fits(wanted) ?? general;
}

/** Lognormal-ish duration around `median` seconds, clamped. */
function duration(rng: Rng, medianSeconds: number, sigma: number, minSeconds: number, maxSeconds: number): number {
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const s = medianSeconds * Math.exp(sigma * z);
  return Math.round(Math.min(maxSeconds, Math.max(minSeconds, s)) * SECOND);
}

const TALK: Readonly<Record<ContactChannel, readonly [number, number]>> = {
  call: [180, 0.6],
  chat: [300, 0.55],
  wechat: [320, 0.55],
  sms: [90, 0.5],
  email: [240, 0.5],
  walk_in: [420, 0.5],
  outbound: [150, 0.5],
};

function sampleTalk(rng: Rng, channel: ContactChannel, linked: boolean): number {
  const [median, sigma] = TALK[channel];
  return duration(rng, linked ? median * 1.3 : median, sigma, 25, 40 * 60);
}

function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

const TICKET_CHANNELS: Readonly<Record<string, ContactChannel>> = { phone: 'call', web: 'chat', wechat: 'wechat', email: 'email' };

function isDaytime(ms: number): boolean {
  const m = localMinute(ms);
  return m >= 8 * 60 + 5 && m < 22 * 60;
}

/** The originating contacts of the work orders (~60% of those in the window, every demo customer's). */
function planTicketContacts(ctx: Ctx, rng: Rng, count: number): Plan[] {
  const fixtureIds = new Set(Object.values(ctx.world.fixtures));
  const inWindow = ctx.world.tickets.filter((t) => t.createdAt.getTime() >= ctx.windowStart && t.createdAt.getTime() < ctx.nowMs);
  const eligible = inWindow.filter((t) => {
    const channel = TICKET_CHANNELS[t.channel];
    // A web form or an e-mail sent at night is not a conversation with an agent.
    return channel !== undefined && (channel === 'call' || isDaytime(t.createdAt.getTime()));
  });
  if (eligible.length === 0) return [];
  const share = Math.min(1, (0.6 * inWindow.length) / eligible.length, (0.6 * count) / eligible.length);
  const plans: Plan[] = [];
  for (const t of eligible) {
    if (!fixtureIds.has(t.customerId) && !rng.chance(share)) continue;
    const channel = TICKET_CHANNELS[t.channel];
    const customer = ctx.customersById.get(t.customerId) ?? null;
    const reasonCode = validReason(ctx, rng, getReasonForCategory(t.categoryCode, t.incidentId !== null));
    let queue = pickQueue(ctx, rng, channel, customer, reasonCode);
    let author = t.createdBy ? ctx.agentsById.get(t.createdBy) : undefined;
    if (author && queue && !queue.requiredSkills.every((s) => author?.skills.includes(s))) queue = ctx.queues.get('general') ?? queue;
    if (author && queue && !queue.requiredSkills.every((s) => author?.skills.includes(s))) author = undefined;
    const talkMs = sampleTalk(rng, channel, true);
    const answerAtMs = t.createdAt.getTime() - talkMs;
    plans.push({
      id: ctx.ids.uuid(),
      channel,
      createdMs: answerAtMs - 30 * SECOND,
      customer,
      customerId: t.customerId,
      queue,
      reasonCode,
      ticket: t,
      agentId: author?.id ?? null,
      answerAtMs,
      talkMs,
    });
  }
  return plans;
}

/** The incident's extra calls: most callers only want to know what happened and when power is back. */
function planIncidentContacts(ctx: Ctx, rng: Rng, extra: number): Plan[] {
  const plans: Plan[] = [];
  for (const incident of ctx.world.incidents) {
    const start = incident.startedAt.getTime();
    if (start < ctx.windowStart || start >= ctx.nowMs) continue;
    const end = Math.min(ctx.nowMs - 10 * MINUTE, (incident.resolvedAt?.getTime() ?? start + 3 * HOUR) + 30 * MINUTE);
    const pool = incident.areaIds.flatMap((a) => ctx.customersByArea.get(a) ?? []);
    const r = rng.fork(incident.id);
    for (let i = 0; i < extra; i++) {
      const createdMs = Math.min(end, start + (2 + exponential(r, 40)) * MINUTE + r.int(0, 59) * SECOND);
      const channel: ContactChannel = r.chance(0.85) ? 'call' : 'wechat';
      const customer = pool.length > 0 && !r.chance(0.12) ? r.pick(pool) : null;
      const reasonCode = validReason(ctx, r, r.chance(0.8) ? 'outage.area-outage' : 'outage.restore-time');
      plans.push({
        id: ctx.ids.uuid(),
        channel,
        createdMs,
        customer,
        customerId: customer?.id ?? null,
        queue: pickQueue(ctx, r, channel, customer, reasonCode),
        reasonCode,
        ticket: null,
        agentId: null,
        answerAtMs: null,
        // Short calls: the agent reads out the outage notice.
        talkMs: duration(r, 75, 0.4, 25, 6 * 60),
      });
    }
    break; // one spike is enough for the demo
  }
  return plans;
}

type FixtureContact = {
  key: string;
  channel: ContactChannel;
  daysAgo: number;
  /** Local time, e.g. 20.25 = 20:15. */
  hour: number;
  reason: string;
  queue?: QueueCode;
  fate?: 'abandon' | 'overflow';
};

// The demo customers' own contacts besides those of their work orders: each has one chat with
// messages in the last two weeks and a call or two.
const FIXTURE_CONTACTS: readonly FixtureContact[] = [
  { key: 'portal', channel: 'chat', daysAgo: 3, hour: 20.25, reason: 'billing.tariff' },
  { key: 'portal', channel: 'call', daysAgo: 55, hour: 9.5, reason: 'billing.bill-query' },
  { key: 'keyAccount', channel: 'chat', daysAgo: 5, hour: 10.75, reason: 'business.progress', queue: 'vip' },
  { key: 'keyAccount', channel: 'call', daysAgo: 20, hour: 15.5, reason: 'outage.planned', queue: 'vip' },
  { key: 'elderlyAlone', channel: 'chat', daysAgo: 10, hour: 19.5, reason: 'outage.restore-time' },
  { key: 'elderlyAlone', channel: 'call', daysAgo: 2, hour: 9.25, reason: 'billing.payment' },
  { key: 'lowIncome', channel: 'chat', daysAgo: 6, hour: 11.25, reason: 'billing.arrears', queue: 'billing' },
  { key: 'lowIncome', channel: 'call', daysAgo: 15, hour: 18.5, reason: 'billing.bill-query', fate: 'abandon' },
  { key: 'amdo', channel: 'chat', daysAgo: 4, hour: 16.25, reason: 'business.solar', queue: 'tibetan-amdo' },
  { key: 'amdo', channel: 'call', daysAgo: 60, hour: 19.75, reason: 'billing.payment', queue: 'tibetan-amdo' },
  { key: 'kham', channel: 'wechat', daysAgo: 7, hour: 14.5, reason: 'billing.payment', queue: 'tibetan-kham' },
  { key: 'kham', channel: 'call', daysAgo: 40, hour: 10.25, reason: 'outage.planned', queue: 'tibetan-kham' },
  { key: 'repeatComplainer', channel: 'chat', daysAgo: 1, hour: 10.5, reason: 'complaint.progress', queue: 'complaint' },
  { key: 'repeatComplainer', channel: 'call', daysAgo: 8, hour: 9.25, reason: 'complaint.supply', queue: 'complaint', fate: 'overflow' },
  { key: 'repeatComplainer', channel: 'call', daysAgo: 12, hour: 20.5, reason: 'complaint.progress', queue: 'complaint', fate: 'abandon' },
  { key: 'english', channel: 'chat', daysAgo: 5, hour: 15.25, reason: 'other.online', queue: 'english' },
  { key: 'english', channel: 'call', daysAgo: 30, hour: 11.5, reason: 'billing.bill-query', queue: 'english' },
];

function planFixtureContacts(ctx: Ctx, rng: Rng): Plan[] {
  const plans: Plan[] = [];
  for (const f of FIXTURE_CONTACTS) {
    const customerId = ctx.world.fixtures[f.key];
    const customer = customerId ? ctx.customersById.get(customerId) : undefined;
    if (!customer || f.daysAgo >= Math.floor((ctx.nowMs - ctx.windowStart) / DAY)) continue;
    const r = rng.fork(`${f.key}:${f.channel}:${f.daysAgo}`);
    const createdMs = localDayStart(ctx.nowMs) - f.daysAgo * DAY + Math.round(f.hour * HOUR) + r.int(0, 300) * SECOND;
    if (createdMs > ctx.nowMs - HOUR) continue;
    const wanted = f.queue ? ctx.queues.get(f.queue) : undefined;
    const reasonCode = validReason(ctx, r, f.reason);
    plans.push({
      id: ctx.ids.uuid(),
      channel: f.channel,
      createdMs,
      customer,
      customerId: customer.id,
      queue: wanted?.channels.includes(f.channel) ? wanted : pickQueue(ctx, r, f.channel, customer, reasonCode),
      reasonCode,
      ticket: null,
      agentId: null,
      answerAtMs: null,
      talkMs: sampleTalk(r, f.channel, false),
      ...(f.fate ? { fate: f.fate } : {}),
    });
  }
  return plans;
}

/**
 * Half-hour slot weights of the window for one channel (index 0 = the window's first slot),
 * slots after `now` excluded; `noise` gives each day its own level.
 */
function slotWeights(ctx: Ctx, channel: ContactChannel, dayNoise: readonly number[]): Float64Array {
  const shape = halfHourShape(channel);
  const days = dayNoise.length;
  const out = new Float64Array(days * SLOTS_PER_DAY);
  for (let d = 0; d < days; d++) {
    const start = ctx.windowStart + d * DAY;
    const f = dayFactor(start, dayNoise[d]);
    for (let s = 0; s < SLOTS_PER_DAY; s++) {
      const slotStart = start + s * SLOT;
      if (slotStart >= ctx.nowMs) continue;
      const share = Math.min(1, (ctx.nowMs - slotStart) / SLOT);
      out[d * SLOTS_PER_DAY + s] = f * shape[s] * share;
    }
  }
  return out;
}

function slotOf(ctx: Ctx, ms: number): number {
  return Math.floor((ms - ctx.windowStart) / SLOT);
}

/** `n` slot indexes drawn with probability proportional to `weights`. */
function drawSlots(rng: Rng, weights: Float64Array, n: number): number[] {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    cumulative[i] = total;
  }
  const out: number[] = [];
  if (!(total > 0)) return out;
  for (let k = 0; k < n; k++) {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    out.push(lo);
  }
  return out;
}

/**
 * The contacts not tied to an order, the incident or a fixture: per channel, the slots are drawn
 * from the target shape minus what the fixed contacts already fill, so the total keeps the shape.
 */
function planFreeContacts(ctx: Ctx, rng: Rng, fixed: readonly Plan[], count: number, days: number): Plan[] {
  const dayRng = rng.fork('days');
  const dayNoise = Array.from({ length: days }, () => 0.92 + dayRng.next() * 0.16);
  const targets = CHANNEL_SHARES.map(([c, share]) => [c, Math.round(count * share)] as const);
  const fixedByChannel = new Map<ContactChannel, number>();
  for (const p of fixed) fixedByChannel.set(p.channel, (fixedByChannel.get(p.channel) ?? 0) + 1);
  const room = targets.map(([c, n]) => [c, Math.max(0, n - (fixedByChannel.get(c) ?? 0))] as const);
  const roomTotal = room.reduce((s, [, n]) => s + n, 0);
  const freeTotal = Math.max(0, count - fixed.length);
  // Spread the free contacts over the channels with room left, largest remainders last.
  const allocation = new Map<ContactChannel, number>();
  let allocated = 0;
  for (const [c, n] of room) {
    const share = roomTotal > 0 ? Math.floor((freeTotal * n) / roomTotal) : 0;
    allocation.set(c, share);
    allocated += share;
  }
  for (let i = 0; allocated < freeTotal && roomTotal > 0; i = (i + 1) % room.length) {
    if (room[i][1] === 0) continue;
    allocation.set(room[i][0], (allocation.get(room[i][0]) ?? 0) + 1);
    allocated++;
  }

  const plans: Plan[] = [];
  for (const [channel, target] of targets) {
    const n = allocation.get(channel) ?? 0;
    if (n === 0) continue;
    const weights = slotWeights(ctx, channel, dayNoise);
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) continue;
    // What the fixed contacts already fill comes off the target of their slot.
    const filled = new Float64Array(weights.length);
    for (const p of fixed) {
      const s = slotOf(ctx, p.createdMs);
      if (p.channel === channel && s >= 0 && s < filled.length) filled[s]++;
    }
    const deficit = new Float64Array(weights.length);
    for (let s = 0; s < weights.length; s++) deficit[s] = Math.max(0, (weights[s] * target) / total - filled[s]);
    const r = rng.fork(`free:${channel}`);
    for (const s of drawSlots(r, deficit, n)) {
      const slotStart = ctx.windowStart + s * SLOT;
      const span = Math.min(SLOT, ctx.nowMs - slotStart);
      const createdMs = slotStart + Math.floor(r.next() * span);
      const customer = pickCustomer(ctx, r, channel);
      const reasonCode = pickReason(ctx, r, channel);
      plans.push({
        id: ctx.ids.uuid(),
        channel,
        createdMs,
        customer,
        customerId: customer?.id ?? null,
        queue: pickQueue(ctx, r, channel, customer, reasonCode),
        reasonCode,
        ticket: null,
        agentId: null,
        answerAtMs: null,
        talkMs: sampleTalk(r, channel, false),
      });
    }
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Load: how long contacts wait in each hour

type Load = { pressure: Float64Array };

const ROUTED: ReadonlySet<ContactChannel> = new Set(['call', 'chat', 'wechat']);

/**
 * Pressure per local hour: the routed contacts that arrived, against what the roster was planned
 * for (the forecast shape, capped at a normal busy hour; a night floor of a few agents).
 */
function measureLoad(ctx: Ctx, plans: readonly Plan[], days: number): Load {
  const hours = days * 24;
  const actual = new Float64Array(hours);
  for (const p of plans) {
    if (!ROUTED.has(p.channel)) continue;
    const h = Math.floor((p.createdMs - ctx.windowStart) / HOUR);
    if (h >= 0 && h < hours) actual[h]++;
  }
  // The forecast: the same shape without noise, scaled to the routed volume.
  const forecast = new Float64Array(hours);
  const flat = new Array(days).fill(1);
  for (const channel of ROUTED) {
    const share = CHANNEL_SHARES.find(([c]) => c === channel)?.[1] ?? 0;
    const w = slotWeights(ctx, channel, flat);
    for (let s = 0; s < w.length; s++) forecast[Math.floor(s / 2)] += w[s] * share;
  }
  let forecastTotal = 0;
  let actualTotal = 0;
  for (let h = 0; h < hours; h++) {
    forecastTotal += forecast[h];
    actualTotal += actual[h];
  }
  const scale = forecastTotal > 0 ? actualTotal / forecastTotal : 0;
  const sorted = Array.from(forecast, (f) => f * scale)
    .filter((f) => f > 0)
    .sort((a, b) => a - b);
  const busy = sorted[Math.floor(sorted.length * 0.8)] ?? 1;
  const peak = sorted[sorted.length - 1] ?? 1;
  const pressure = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    // A queue carries over into the next hour: the load is smoothed over the neighbours, and a
    // few pseudo-contacts keep the chance hours of a small center from looking like a crisis.
    const smoothed = 0.5 * actual[h] + 0.25 * (actual[h - 1] ?? actual[h]) + 0.25 * (actual[h + 1] ?? actual[h]);
    const capacity = Math.max(0.3 * peak, 1.2 * Math.min(forecast[h] * scale, busy));
    pressure[h] = (smoothed + 3) / (capacity + 3);
  }
  return { pressure };
}

function pressureAt(ctx: Ctx, load: Load, ms: number): number {
  const h = Math.floor((ms - ctx.windowStart) / HOUR);
  return h >= 0 && h < load.pressure.length ? load.pressure[h] : 0.8;
}

// Few agents hold the language skills: their queues wait longer; key accounts jump the line.
const QUEUE_WAIT_FACTOR: Readonly<Record<string, number>> = { 'tibetan-amdo': 2.2, 'tibetan-kham': 2.5, english: 1.8, complaint: 1.2, vip: 0.4 };

/** Mean seconds to an answer at this pressure: seconds when staffed to plan, minutes in a spike. */
function meanWaitSeconds(pressure: number, queueCode: string | null): number {
  const base = Math.min(150, 5 * Math.exp(3.2 * Math.max(0, pressure - 0.8)));
  return base * (queueCode ? (QUEUE_WAIT_FACTOR[queueCode] ?? 1) : 1);
}

// ---------------------------------------------------------------------------------------------
// Agents: who is on shift, who is free

const SHIFTS: readonly (readonly [number, number])[] = [
  [8 * 60, 16 * 60 + 30],
  [13 * 60 + 30, 22 * 60],
  [9 * 60, 18 * 60],
];

function isOnShift(agentIndex: number, ms: number): boolean {
  const day = localDayNumber(ms);
  // Two rest days a week, a shift pattern that rotates weekly.
  if ((day + agentIndex) % 7 >= 5) return false;
  const [from, to] = SHIFTS[(Math.floor(day / 7) + agentIndex) % 3];
  const m = localMinute(ms);
  return m >= from && m < to;
}

function isNightCrew(agentIndex: number, ms: number): boolean {
  return (localDayNumber(ms) + agentIndex) % 6 === 0;
}

const VOICE: ReadonlySet<ContactChannel> = new Set(['call', 'walk_in', 'outbound']);

function pickAgent(ctx: Ctx, rng: Rng, queueCode: string | null, atMs: number, exclude: string | null = null): ContactWorldAgent | null {
  const code = queueCode ?? 'general';
  const supervisors = ctx.eligibleSupervisors.get(code) ?? [];
  let pool = (supervisors.length > 0 && rng.chance(0.04) ? supervisors : ctx.eligible.get(code)) ?? [];
  if (pool.length === 0) pool = ctx.eligible.get('general') ?? [];
  if (pool.length === 0) pool = ctx.anyAgents;
  pool = pool.filter((a) => a.id !== exclude);
  if (pool.length === 0) return null;
  const index = (a: ContactWorldAgent) => ctx.agentIndex.get(a.id) ?? 0;
  let candidates = pool.filter((a) => isOnShift(index(a), atMs));
  if (candidates.length === 0) candidates = pool.filter((a) => isNightCrew(index(a), atMs));
  if (candidates.length === 0) candidates = pool;
  const free = candidates.filter((a) => (ctx.busyUntil.get(a.id) ?? 0) <= atMs);
  if (free.length > 0) return rng.pick(free);
  return candidates.reduce((best, a) => ((ctx.busyUntil.get(a.id) ?? 0) < (ctx.busyUntil.get(best.id) ?? 0) ? a : best));
}

// ---------------------------------------------------------------------------------------------
// One contact: its timeline, played through the domain

type Step = { at: number; action: ContactAction; actorId: string | null };

type Timeline = {
  steps: Step[];
  agentId: string | null;
  /** Customer left while waiting / the queue overflowed. */
  kind: 'answered' | 'abandoned' | 'overflowed' | 'not_connected';
};

// Patience relative to a caller's: a chat window left open waits longer than a phone at the ear.
const PATIENCE: Readonly<Record<ContactChannel, number>> = { call: 1, chat: 2.2, wechat: 3.3, sms: 0, email: 0, walk_in: 0, outbound: 0 };

/** About this share of all contacts is abandoned, and this share overflows (calibrated per world). */
const ABANDON_SHARE = 0.08;
const OVERFLOW_SHARE = 0.02;
const OVERFLOW_OFFER_AFTER_MS = 25 * SECOND;

/** How long a contact would wait in its queue, drawn from the load of its hour. */
function drawWaiting(ctx: Ctx, load: Load, plan: Plan, rng: Rng): Waiting {
  const channel = plan.channel;
  // IVR menu for calls, the pre-chat form for chats; SMS and e-mail queue on arrival.
  const entryMs = (channel === 'call' ? rng.int(8, 40) : channel === 'chat' || channel === 'wechat' ? rng.int(3, 20) : 0) * SECOND;
  const ringMs = (channel === 'call' ? rng.int(3, 9) : rng.int(1, 4)) * SECOND;
  let waitMs: number;
  if (channel === 'sms' || channel === 'email') {
    // Written channels wait for a free agent between calls: minutes, not seconds.
    waitMs = Math.round(Math.min(90 * MINUTE, (channel === 'sms' ? 60 : 240) * SECOND + exponential(rng, channel === 'sms' ? 480 : 1500) * SECOND));
  } else {
    // Routing offers vulnerable customers and key accounts first (CONTACT_PRIORITIES).
    const first = plan.customer !== null && getContactPriority(plan.customer.flags) !== 'normal' ? 0.5 : 1;
    waitMs = ringMs + Math.round(exponential(rng, first * meanWaitSeconds(pressureAt(ctx, load, plan.createdMs), plan.queue?.code ?? null)) * SECOND);
  }
  // An order's contact was answered, so within the queue's limit.
  if (plan.answerAtMs !== null && plan.queue) waitMs = Math.min(waitMs, Math.max(ringMs, (plan.queue.maxWaitSeconds - 1) * SECOND));
  const shortPatienceMs = channel === 'call' && rng.chance(0.02) ? rng.int(1, 4) * SECOND : null;
  return { entryMs, ringMs, waitMs, shortPatienceMs, patienceUnit: exponential(rng, 1), offerRoll: rng.next() };
}

function getPatienceMs(ctx: Ctx, channel: ContactChannel, wait: Waiting): number {
  return wait.shortPatienceMs ?? Math.round(wait.patienceUnit * ctx.patienceScale * PATIENCE[channel] * SECOND) + SECOND;
}

/**
 * Sets the patience scale and the overflow-offer share so that about ABANDON_SHARE of all
 * contacts are abandoned and OVERFLOW_SHARE overflow, whatever the mix of order-linked
 * (always answered) contacts and the load: the same rules as planTimeline, counted ahead.
 */
function calibrateLeaving(ctx: Ctx, plans: readonly Plan[]): void {
  const free = plans.filter((p) => p.ticket === null && p.fate === undefined && p.queue !== null && p.wait !== undefined && ROUTED.has(p.channel));
  const forcedAbandons = plans.filter((p) => p.fate === 'abandon').length;
  const forcedOverflows = plans.filter((p) => p.fate === 'overflow').length;
  const limit = (p: Plan) => Math.min(p.wait?.waitMs ?? 0, (p.queue?.maxWaitSeconds ?? 0) * SECOND);
  // A contact abandons when its patience (unit × scale × channel factor + 1 s, or a short
  // patience) ends before its wait: so each has a scale below which it abandons. The scale that
  // makes `wanted` of them abandon is a quantile of those thresholds.
  let short = 0;
  const thresholds: number[] = [];
  for (const p of free) {
    if (!p.wait) continue;
    if (p.wait.shortPatienceMs !== null) {
      if (p.wait.shortPatienceMs < limit(p)) short++;
    } else {
      thresholds.push((limit(p) - SECOND) / (p.wait.patienceUnit * PATIENCE[p.channel] * SECOND));
    }
  }
  thresholds.sort((a, b) => b - a);
  const wanted = Math.round(ABANDON_SHARE * plans.length) - forcedAbandons - short;
  ctx.patienceScale = wanted <= 0 || thresholds.length === 0 ? Number.MAX_SAFE_INTEGER : (thresholds[Math.min(wanted, thresholds.length - 1)] ?? 1);
  let natural = 0;
  let offered = 0;
  for (const p of free) {
    if (!p.wait || !p.queue || getPatienceMs(ctx, p.channel, p.wait) < limit(p)) continue;
    if (p.wait.waitMs > p.queue.maxWaitSeconds * SECOND) natural++;
    else if (p.wait.waitMs > OVERFLOW_OFFER_AFTER_MS) offered++;
  }
  const rest = OVERFLOW_SHARE * plans.length - forcedOverflows - natural;
  ctx.overflowOfferShare = offered > 0 ? Math.min(1, Math.max(0, rest / offered)) : 0;
}

function afterContactWork(rng: Rng, channel: ContactChannel, linked: boolean): number {
  const base = VOICE.has(channel) ? rng.int(15, 90) : rng.int(5, 40);
  return (base + (linked ? rng.int(60, 180) : 0)) * SECOND;
}

/** Talk with an optional hold inside it: the steps between answer and end. */
function talkSteps(rng: Rng, channel: ContactChannel, answeredAt: number, talkMs: number, agentId: string): { steps: Step[]; endAt: number } {
  const steps: Step[] = [];
  let holdMs = 0;
  if (channel === 'call' && talkMs > 60 * SECOND && rng.chance(0.18)) {
    holdMs = rng.int(15, 150) * SECOND;
    const heldAt = answeredAt + Math.round(talkMs * (0.3 + rng.next() * 0.4));
    steps.push({ at: heldAt, action: { type: 'hold' }, actorId: agentId });
    steps.push({ at: heldAt + holdMs, action: { type: 'resume' }, actorId: agentId });
  }
  return { steps, endAt: answeredAt + talkMs + holdMs };
}

function planTimeline(ctx: Ctx, load: Load, plan: Plan, rng: Rng): Timeline {
  const { channel } = plan;
  const steps: Step[] = [];
  const linked = plan.ticket !== null;

  if (channel === 'outbound') {
    const agent = pickAgent(ctx, rng, null, plan.createdMs);
    const ring = rng.int(8, 35) * SECOND;
    if (!agent || rng.chance(0.18)) {
      steps.push({ at: plan.createdMs + ring, action: { type: 'end' }, actorId: agent?.id ?? null });
      return { steps, agentId: null, kind: 'not_connected' };
    }
    const answeredAt = plan.createdMs + ring;
    steps.push({ at: answeredAt, action: { type: 'answer', agentId: agent.id }, actorId: agent.id });
    const talk = talkSteps(rng, channel, answeredAt, plan.talkMs, agent.id);
    steps.push(...talk.steps, { at: talk.endAt, action: { type: 'end' }, actorId: null });
    steps.push({ at: talk.endAt + afterContactWork(rng, channel, false), action: { type: 'wrap_up', reasonCode: plan.reasonCode, outcome: 'resolved' }, actorId: agent.id });
    return { steps, agentId: agent.id, kind: 'answered' };
  }

  if (channel === 'walk_in' || plan.queue === null) {
    const answeredAt = plan.createdMs + rng.int(30, 240) * SECOND;
    const agent = pickAgent(ctx, rng, null, answeredAt);
    if (!agent) return { steps, agentId: null, kind: 'not_connected' };
    steps.push({ at: answeredAt, action: { type: 'answer', agentId: agent.id }, actorId: agent.id });
    const talk = talkSteps(rng, channel, answeredAt, plan.talkMs, agent.id);
    steps.push(...talk.steps, { at: talk.endAt, action: { type: 'end' }, actorId: null });
    steps.push({ at: talk.endAt + afterContactWork(rng, channel, false), action: { type: 'wrap_up', reasonCode: plan.reasonCode, outcome: 'resolved' }, actorId: agent.id });
    return { steps, agentId: agent.id, kind: 'answered' };
  }

  const queue = plan.queue;
  const wait = plan.wait ?? drawWaiting(ctx, load, plan, rng);
  const entry = wait.entryMs;
  const ring = wait.ringMs;
  let waitMs = wait.waitMs;
  let queuedAt = plan.createdMs + entry;
  if (plan.answerAtMs !== null) {
    // The work order fixes the answer: the contact queued `wait` before it.
    queuedAt = plan.answerAtMs - waitMs;
    plan.createdMs = queuedAt - entry;
  }
  steps.push({ at: queuedAt, action: { type: 'queue', queueId: queue.id }, actorId: null });

  let kind: Timeline['kind'] = 'answered';
  let leaveAt = 0;
  if (!linked && ROUTED.has(channel)) {
    const patience = getPatienceMs(ctx, plan.channel, wait);
    const maxWait = queue.maxWaitSeconds * SECOND;
    if (plan.fate === 'abandon') {
      kind = 'abandoned';
      leaveAt = queuedAt + Math.min(waitMs, rng.int(40, 110) * SECOND);
      waitMs = Math.max(waitMs, leaveAt - queuedAt + ring + SECOND);
    } else if (plan.fate === 'overflow') {
      kind = 'overflowed';
      leaveAt = queuedAt + maxWait;
    } else if (patience < Math.min(waitMs, maxWait)) {
      kind = 'abandoned';
      leaveAt = queuedAt + patience;
    } else if (waitMs > maxWait) {
      kind = 'overflowed';
      leaveAt = queuedAt + maxWait;
    } else if (waitMs > OVERFLOW_OFFER_AFTER_MS && wait.offerRoll < ctx.overflowOfferShare) {
      // The IVR / widget offers "leave a message or we call you back" after 25 s; some take it.
      kind = 'overflowed';
      leaveAt = queuedAt + OVERFLOW_OFFER_AFTER_MS + rng.int(0, Math.max(0, Math.floor((waitMs - OVERFLOW_OFFER_AFTER_MS) / SECOND) - 1)) * SECOND;
    }
  }

  const answerAt = queuedAt + waitMs;
  const offerAt = answerAt - ring;
  if (kind !== 'answered') {
    if (kind === 'abandoned' && leaveAt >= offerAt && leaveAt < answerAt) {
      // Hung up while it was ringing at an agent.
      const agent = pickAgent(ctx, rng, queue.code, offerAt);
      if (agent) steps.push({ at: offerAt, action: { type: 'offer', agentId: agent.id }, actorId: null });
    }
    const action: ContactAction = kind === 'abandoned' ? { type: 'abandon' } : { type: 'overflow', action: queue.overflowAction };
    steps.push({ at: leaveAt, action, actorId: null });
    return { steps, agentId: null, kind };
  }

  const fixedAgent = plan.agentId ? ctx.agentsById.get(plan.agentId) : undefined;
  const agent = fixedAgent ?? pickAgent(ctx, rng, queue.code, answerAt);
  if (!agent) {
    steps.push({ at: queuedAt + queue.maxWaitSeconds * SECOND, action: { type: 'overflow', action: queue.overflowAction }, actorId: null });
    return { steps, agentId: null, kind: 'overflowed' };
  }
  // Now and then the first agent lets it ring out (RONA) and the next one answers.
  const timeoutMs = queue.offerTimeoutSeconds * SECOND;
  if (ROUTED.has(channel) && waitMs > timeoutMs + ring + 5 * SECOND && rng.chance(0.04)) {
    const first = pickAgent(ctx, rng, queue.code, offerAt - timeoutMs, agent.id);
    if (first) {
      steps.push({ at: offerAt - timeoutMs, action: { type: 'offer', agentId: first.id }, actorId: null });
      steps.push({ at: offerAt, action: { type: 'timeout' }, actorId: null });
    }
  }
  steps.push({ at: offerAt, action: { type: 'offer', agentId: agent.id }, actorId: null });
  steps.push({ at: answerAt, action: { type: 'answer', agentId: agent.id }, actorId: agent.id });
  // A few calls are misdials or silence: answered, a few seconds, wrapped up as such.
  let talkMs = plan.talkMs;
  let reasonCode = plan.reasonCode;
  if (!linked && channel === 'call' && rng.chance(0.02) && ctx.validReasons.has('other.wrong-number')) {
    talkMs = rng.int(4, 20) * SECOND;
    reasonCode = 'other.wrong-number';
  }
  const talk = talkSteps(rng, channel, answerAt, talkMs, agent.id);
  steps.push(...talk.steps, { at: talk.endAt, action: { type: 'end' }, actorId: null });
  steps.push({
    at: talk.endAt + afterContactWork(rng, channel, linked),
    action: { type: 'wrap_up', reasonCode, outcome: linked ? 'ticket_created' : 'resolved' },
    actorId: agent.id,
  });
  return { steps, agentId: agent.id, kind: 'answered' };
}

function addressesOf(channel: ContactChannel, customer: ContactWorldCustomer | null, rng: Rng): { from: string | null; to: string | null } {
  const phone = customer?.phone ?? `1${rng.pick(['3', '5', '8', '9'])}${rng.digits(9)}`;
  switch (channel) {
    case 'call':
      return { from: phone, to: '95598' };
    case 'sms':
      return { from: phone, to: '95598' };
    case 'outbound':
      return { from: '95598', to: phone };
    case 'email':
      return { from: customer?.email ?? `user${rng.digits(6)}@example.com`, to: 'service@95598.example.cn' };
    case 'wechat':
      return { from: customer?.wechatOpenid ?? null, to: null };
    case 'chat':
    case 'walk_in':
      return { from: null, to: null };
    default:
      return { from: null, to: null };
  }
}

function playTimeline(plan: Plan, timeline: Timeline, rng: Rng): GeneratedContact {
  let state: ContactState = createContact({ channel: plan.channel, createdAt: new Date(plan.createdMs) });
  const events: GeneratedContactEvent[] = [];
  for (const step of timeline.steps) {
    const result = advanceContact(state, step.action, new Date(step.at));
    if (!result.ok) throw new Error(`contact ${plan.id}: ${step.action.type} refused (${result.reason})`);
    state = result.contact;
    const e = result.event;
    events.push({ type: e.type, from: e.from, to: e.to, at: e.at, actorId: step.actorId, details: e.details as Record<string, JsonScalar> });
  }
  const customer = plan.customer;
  const addresses = addressesOf(plan.channel, customer, rng);
  const priority = customer ? getContactPriority(customer.flags) : 'normal';
  return {
    id: plan.id,
    channel: plan.channel,
    direction: state.direction,
    status: state.status,
    queueId: state.queueId,
    queueCode: plan.queue?.code ?? null,
    agentId: state.agentId,
    customerId: plan.customerId,
    priority,
    requiredSkills: plan.queue && state.queueId ? [...plan.queue.requiredSkills] : [],
    accountManagerId: priority === 'key_account' ? (customer?.accountManagerId ?? null) : null,
    declinedAgentIds: [...state.declinedAgentIds],
    createdAt: state.createdAt,
    queuedAt: state.queuedAt,
    waitingSince: state.waitingSince,
    offeredAt: state.offeredAt,
    answeredAt: state.answeredAt,
    endedAt: state.endedAt,
    wrappedUpAt: state.wrappedUpAt,
    lastChangedAt: state.lastChangedAt,
    talkMs: state.talkMs,
    holdMs: state.holdMs,
    offerCount: state.offerCount,
    endReason: state.endReason,
    overflowAction: state.overflowAction,
    reasonCode: state.reasonCode,
    outcome: state.outcome,
    fromAddress: addresses.from,
    toAddress: addresses.to,
    conversationId: null,
    ticketId: plan.ticket?.id ?? null,
    version: 1 + events.length,
    events,
  };
}

// ---------------------------------------------------------------------------------------------
// Conversations with messages (chat and WeChat, last 14 days)

const CONVERSATION_DAYS = 14;

function fillAccount(rng: Rng, text: string, customer: ContactWorldCustomer | null): string {
  return text.replace('{meter}', `63${rng.digits(8)}`).replace('{name}', customer?.name ?? '');
}

/** `topic`: what the customer came about (the reason the contact would be wrapped up with). */
function buildConversation(ctx: Ctx, rng: Rng, contact: GeneratedContact, customer: ContactWorldCustomer | null, topic: string): GeneratedConversation {
  const id = ctx.ids.uuid();
  const english = contact.queueCode === 'english';
  const group = topic.split('.')[0];
  const texts = english ? EN_TEXTS : (ZH_TEXTS[group] ?? ZH_TEXTS.other);
  const agent = contact.agentId ? ctx.agentsById.get(contact.agentId) : undefined;
  const customerName = customer?.name ?? (english ? 'Visitor' : '访客');
  const lines: { at: number; type: GeneratedMessage['senderType']; body: string }[] = [];
  const created = contact.createdAt.getTime();
  const queued = contact.queuedAt?.getTime() ?? created;
  const ended = contact.endedAt?.getTime() ?? queued;
  const say = (at: number, type: GeneratedMessage['senderType'], body: string) => lines.push({ at, type, body });

  say(created, 'customer', english ? 'Hello' : rng.pick(ZH_OPENERS));
  const [ask, reply] = rng.pick(texts.pairs);
  if (contact.answeredAt === null) {
    // Never answered: the customer waited, then left or left a message.
    say(queued, 'system', english ? 'All agents are busy. You are in the queue, please wait.' : '当前咨询人数较多，您已进入排队，请稍候。');
    say(queued + Math.max(1, Math.floor((ended - queued) / 2)), 'customer', english ? 'How long do I have to wait?' : rng.pick(ZH_STILL_WAITING));
    if (contact.endReason === 'overflowed') {
      const callback = contact.overflowAction === 'callback';
      const zh = callback ? '排队时间较长，已为您登记预约回电，工作人员会尽快给您回电话。' : '排队时间较长，已为您转为留言，工作人员会尽快与您联系。';
      say(ended, 'system', english ? 'Please leave a message and we will get back to you.' : zh);
      say(ended, 'customer', ask);
    } else {
      say(ended, 'system', english ? 'The visitor left the conversation.' : '访客已离开会话。');
    }
  } else {
    const answered = contact.answeredAt.getTime();
    const agentName = agent?.displayName ?? (english ? 'Agent' : '客服');
    if (answered - queued > 15 * SECOND) say(queued, 'system', english ? 'All agents are busy, please wait.' : '当前咨询人数较多，请您耐心等待。');
    const greeting = english
      ? `Hello, this is ${agentName}. How can I help you?`
      : contact.queueCode === 'tibetan-amdo'
        ? AGENT_GREETING_AMDO(agentName)
        : AGENT_GREETING_ZH(agentName);
    // The rest spread over the talk time, in order.
    const body: { type: GeneratedMessage['senderType']; text: string }[] = [{ type: 'agent', text: greeting }, { type: 'customer', text: ask }];
    if (rng.chance(0.6)) {
      body.push({ type: 'agent', text: english ? 'Could you give me your account number and the account holder’s name?' : AGENT_VERIFY_ZH });
      body.push({ type: 'customer', text: fillAccount(rng, english ? 'Account {meter}' : rng.pick(ZH_ACCOUNT), customer) });
    }
    body.push({ type: 'agent', text: contact.outcome === 'ticket_created' && !english ? AGENT_TICKET_ZH : reply });
    if (texts.more.length > 0 && rng.chance(0.45)) {
      const [q, a] = rng.pick(texts.more);
      body.push({ type: 'customer', text: q }, { type: 'agent', text: a });
    }
    body.push({ type: 'customer', text: english ? 'OK, thank you.' : rng.pick(ZH_THANKS) });
    if (rng.chance(0.7)) body.push({ type: 'agent', text: english ? 'You are welcome. Have a nice day!' : AGENT_BYE_ZH });
    const span = Math.max(body.length * SECOND, ended - answered);
    for (const [i, m] of body.entries()) say(answered + Math.floor((span * i) / body.length) + (i === 0 ? 2 * SECOND : 0), m.type, m.text);
  }
  // 4–10 messages, in time order; equal times keep their order.
  const kept = lines.slice(0, 10).sort((a, b) => a.at - b.at);
  const messages = kept.map((l, i) => ({
    id: ctx.ids.uuid(),
    seq: i + 1,
    contactId: contact.id,
    senderType: l.type,
    senderId: l.type === 'agent' ? (contact.agentId ?? null) : l.type === 'customer' ? (customer?.id ?? null) : null,
    senderName: l.type === 'agent' ? (agent?.displayName ?? null) : l.type === 'customer' ? customerName : null,
    body: l.body,
    createdAt: new Date(Math.min(l.at, ended)),
  }));
  const last = messages[messages.length - 1];
  return {
    id,
    channel: contact.channel,
    channelId: contact.channel === 'chat' ? ctx.world.webchatChannelId : null,
    customerId: contact.customerId,
    subject: contact.reasonCode ? (REASON_NAMES.get(contact.reasonCode) ?? null) : null,
    createdAt: contact.createdAt,
    closedAt: new Date(ended),
    lastMessageAt: last ? last.createdAt : new Date(ended),
    messages,
  };
}

// ---------------------------------------------------------------------------------------------
// Callback tasks for the overflowed contacts

function buildCallbackTask(
  ctx: Ctx,
  rng: Rng,
  contact: GeneratedContact,
  customer: ContactWorldCustomer | null,
  conversation: GeneratedConversation | null,
): GeneratedCallbackTask {
  const queue = contact.queueCode ? ctx.queues.get(contact.queueCode) : undefined;
  const created = contact.endedAt?.getTime() ?? contact.lastChangedAt.getTime();
  const within = (queue?.callbackWithinMinutes ?? 120) * MINUTE;
  const kind = contact.overflowAction ?? 'callback';
  // The last two days' requests are still open (some already overdue); older ones were worked
  // off, mostly in time.
  const open = created > ctx.nowMs - 2 * DAY;
  const doneAt = open ? null : Math.min(ctx.nowMs - MINUTE, created + Math.round(within * (0.1 + rng.next() * (rng.chance(0.9) ? 0.85 : 2))));
  const assignee = open ? null : pickAgent(ctx, rng, contact.queueCode, doneAt ?? created);
  // A chat's left message is its last customer line; a caller's voice message gets a short summary.
  const written = conversation?.messages.filter((m) => m.senderType === 'customer').at(-1)?.body;
  return {
    id: ctx.ids.uuid(),
    contactId: contact.id,
    customerId: contact.customerId,
    queueId: contact.queueId,
    kind,
    name: customer?.name ?? null,
    // The pre-chat form asks for a phone before a message can be left.
    phone: customer?.phone ?? (contact.channel === 'call' ? contact.fromAddress : `1${rng.pick(['3', '5', '8', '9'])}${rng.digits(9)}`),
    message: kind === 'leave_message' ? (written ?? rng.pick(ZH_LEFT_MESSAGE)) : null,
    dueAt: new Date(created + within),
    status: open ? 'open' : 'done',
    assigneeId: assignee?.id ?? null,
    outcome: open ? null : rng.chance(0.85) ? 'reached' : 'no_answer',
    createdAt: new Date(created),
    doneAt: doneAt === null ? null : new Date(doneAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Everything

/** Share of the contacts that are the incident's extra calls. */
const INCIDENT_SHARE = 0.012;

/**
 * The demo contacts over the last `days` days before `world.now`: `count` in all (the originating
 * contacts of ~60% of the work orders, the mass incident's spike and the demo customers' scripted
 * contacts included), every one closed, with timelines, chat conversations for the last 14 days and
 * callback tasks for the overflowed. Deterministic for an rng seed.
 */
export function generateContacts(rng: Rng, world: ContactWorld, options: GenerateContactsOptions): GeneratedContacts {
  const days = options.days ?? 90;
  const count = Math.max(0, Math.floor(options.count));
  if (count === 0 || world.queues.length === 0 || world.agents.length === 0) return { contacts: [], conversations: [], callbackTasks: [] };
  const ctx = buildCtx(world, days, rng.fork('ids'));

  const fixtures = planFixtureContacts(ctx, rng.fork('fixtures'));
  const linked = planTicketContacts(ctx, rng.fork('tickets'), Math.max(0, count - fixtures.length));
  const incident = planIncidentContacts(ctx, rng.fork('incident'), Math.min(Math.round(count * INCIDENT_SHARE), Math.max(0, count - fixtures.length - linked.length)));
  const fixed = [...fixtures, ...linked, ...incident];
  const free = planFreeContacts(ctx, rng.fork('free'), fixed, count, days);
  const plans = [...fixed, ...free].sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1));
  const load = measureLoad(ctx, plans, days);
  const waits = rng.fork('waits');
  for (const p of plans) if (p.queue !== null && p.channel !== 'walk_in' && p.channel !== 'outbound') p.wait = drawWaiting(ctx, load, p, waits);
  calibrateLeaving(ctx, plans);

  const contacts: GeneratedContact[] = [];
  const conversations: GeneratedConversation[] = [];
  const callbackTasks: GeneratedCallbackTask[] = [];
  const conversationFrom = ctx.nowMs - CONVERSATION_DAYS * DAY;
  // One stream per part, drawn in time order (a fork per contact would cost more than the rest).
  const lives = rng.fork('lives');
  const talks = rng.fork('conversations');
  const callbacks = rng.fork('callbacks');
  for (const plan of plans) {
    const timeline = planTimeline(ctx, load, plan, lives);
    // Every contact is closed by now: one that would still run is moved back a little.
    const last = timeline.steps.reduce((m, s) => Math.max(m, s.at), plan.createdMs);
    const limit = ctx.nowMs - 20 * SECOND;
    if (last > limit) {
      const shift = last - limit + lives.int(30, 600) * SECOND;
      plan.createdMs -= shift;
      for (const s of timeline.steps) s.at -= shift;
    }
    const contact = playTimeline(plan, timeline, lives);
    if (timeline.agentId && contact.endedAt && VOICE.has(contact.channel)) ctx.busyUntil.set(timeline.agentId, (contact.wrappedUpAt ?? contact.endedAt).getTime());
    let conversation: GeneratedConversation | null = null;
    if ((contact.channel === 'chat' || contact.channel === 'wechat') && contact.createdAt.getTime() >= conversationFrom) {
      conversation = buildConversation(ctx, talks, contact, plan.customer, contact.reasonCode ?? plan.reasonCode);
      contact.conversationId = conversation.id;
      conversations.push(conversation);
    }
    if (contact.endReason === 'overflowed') callbackTasks.push(buildCallbackTask(ctx, callbacks, contact, plan.customer, conversation));
    contacts.push(contact);
  }
  return { contacts, conversations, callbackTasks };
}
