import type { DB } from '@kefu/db';
import type { ScriptLanguage, ScriptSituation } from '@kefu/domain';
import type { Kysely } from 'kysely';
import { scriptSearchColumns } from '../modules/scripts/scripts.search.ts';

// The standard script library (标准话术库) every installation starts with: greetings, identity
// checks, clarifying questions, soothing, refusals, escalation, order notices, closings, the
// abusive-contact warnings, holiday greetings and the language seats' greetings. Variables are
// filled when an agent inserts a script (packages/domain/src/scripts/script-template.ts).
// The three warnings say exactly what the system posts (modules/contacts/system-texts.ts).

export type ScriptDraft = {
  shortcut: string;
  title: string;
  body: string;
  language: ScriptLanguage;
  situation: ScriptSituation;
  tags?: readonly string[];
};

const zh = (situation: ScriptSituation, shortcut: string, title: string, body: string, tags: readonly string[] = []): ScriptDraft => ({ shortcut, title, body, language: 'zh-CN', situation, tags });
const en = (situation: ScriptSituation, shortcut: string, title: string, body: string, tags: readonly string[] = []): ScriptDraft => ({ shortcut, title, body, language: 'en-US', situation, tags });
const bo = (situation: ScriptSituation, shortcut: string, title: string, body: string, tags: readonly string[] = []): ScriptDraft => ({ shortcut, title, body, language: 'bo', situation, tags });

export const DEFAULT_SCRIPTS: readonly ScriptDraft[] = [
  // 开场问候
  zh('greeting', 'hello', '问候开场', '{time.greeting}，这里是{brand.hotline}在线客服，{agent.workNumber}号客服很高兴为您服务，请问有什么可以帮您？', ['开场', '问候']),
  zh('greeting', 'hello-name', '称呼问候', '{customer.salutation}您好，我是{agent.workNumber}号客服{agent.name}，请问有什么可以帮您？', ['开场', '问候']),
  zh('greeting', 'welcome-back', '再次来访问候', '{customer.salutation}您好，欢迎再次联系{brand.hotline}，我是{agent.workNumber}号客服，很高兴继续为您服务。', ['开场', '回访']),
  zh('greeting', 'transfer-in', '转入接待', '{customer.salutation}您好，我是{agent.workNumber}号客服，已经看到您前面反映的情况，不需要您重复说明，我接着为您处理。', ['转接', '开场']),

  // 身份核实
  zh('identity_check', 'verify', '核实身份', '为保护您的用电信息，请提供户号（或电能表号）以及户主姓名，我帮您核实一下。', ['户号', '核实']),
  zh('identity_check', 'verify-phone', '核实联系电话', '请问您现在使用的手机号是否为户主登记的联系电话？如不是，请提供户主姓名和用电地址，我为您核实。', ['电话', '核实']),
  zh('identity_check', 'verify-ok', '身份核实通过', '感谢配合，信息已核实。{customer.salutation}，接下来我为您办理。', ['核实']),
  zh('identity_check', 'verify-fail', '身份核实未通过', '抱歉，您提供的信息与档案登记不一致。为保护户主的用电信息安全，暂时不能为您查询详细信息，请户主本人联系我们，或携带身份证到供电营业厅办理。', ['核实', '隐私']),

  // 问题澄清
  zh('clarifying', 'clarify', '确认诉求', '为了准确帮您处理，我和您确认一下：您反映的是……，对吗？', ['确认']),
  zh('clarifying', 'clarify-addr', '确认用电地址', '请提供详细的用电地址（区县、街道、小区、楼栋和门牌号），方便我们准确定位。', ['地址']),
  zh('clarifying', 'clarify-scope', '确认停电范围', '请问是只有您家没电，还是邻居、整栋楼或整个小区都停电了？家里的空气开关（总闸）有没有跳闸？', ['停电', '跳闸']),
  zh('clarifying', 'clarify-time', '确认发生时间', '请问这个情况是从什么时候开始的？期间有没有恢复过？', ['时间']),

  // 请稍候
  zh('waiting', 'wait', '请稍候', '好的，正在为您查询，请稍等一两分钟，不要关闭对话。', ['查询']),
  zh('waiting', 'thanks-wait', '感谢等待', '感谢您的耐心等待，查询结果如下：', ['查询']),
  zh('waiting', 'wait-long', '查询时间较长', '非常抱歉让您久等了，系统查询还需要一点时间，我一直在跟进，请您再稍等片刻。', ['查询', '致歉']),

  // 安抚
  zh('soothing', 'sorry', '致歉', '非常抱歉给您带来不便，您的意见我们已经记录，会尽快核实并给您答复。', ['致歉']),
  zh('soothing', 'soothe-outage', '停电安抚', '{customer.salutation}，非常理解停电给您生活带来的不便，抢修人员正在全力处理，恢复供电后会第一时间短信通知您。', ['停电', '抢修']),
  zh('soothing', 'soothe-complaint', '投诉安抚', '{customer.salutation}，您反映的问题我已经详细记录，确实给您添麻烦了。我会把您的诉求如实反映给相关部门，并一直跟进到底。', ['投诉']),
  zh('soothing', 'soothe-elderly', '老年客户关怀', '{customer.salutation}您别着急，慢慢说，我会一步一步帮您处理；需要的话，也可以请家人一起和我沟通。', ['老人', '关怀']),

  // 业务解释
  zh('explaining', 'outage', '故障停电告知', '您所在区域目前因线路故障停电，抢修人员已在现场处理，预计恢复时间以短信通知为准，给您带来不便敬请谅解。', ['停电', '故障']),
  zh('explaining', 'planned', '计划停电查询', '计划停电信息会提前7天在“网上国网”App和供电营业厅公告，您也可以在App首页“停电信息”中按地址查询。', ['停电', '计划']),
  zh('explaining', 'pay', '缴费渠道', '您可以通过“网上国网”App、微信或支付宝生活缴费、银行代扣以及各供电营业厅缴纳电费，缴费后一般几分钟内到账。', ['缴费', '电费']),
  zh('explaining', 'tariff', '阶梯电价说明', '居民生活用电实行阶梯电价：按年度累计用电量分三档计价，用电越多，超出档位部分的单价越高。具体档位和电价可以在“网上国网”App“电价标准”中查看。', ['电价', '阶梯']),
  zh('explaining', 'reconnect', '欠费复电说明', '电费结清后系统会自动发起复电，一般在24小时内恢复供电；如超过时间仍未恢复，请再次联系{brand.hotline}。', ['欠费', '复电']),

  // 婉拒
  zh('refusal', 'refuse-privacy', '婉拒查询他人信息', '抱歉，为保护用户隐私，我们不能提供他人的户号、电话和用电信息。如您是户主的家属，请户主本人联系我们办理。', ['隐私']),
  zh('refusal', 'refuse-scope', '婉拒非供电业务', '抱歉，您咨询的问题不属于供电业务范围，建议您联系相关单位咨询。请问还有其他用电问题需要帮助吗？', ['范围']),
  zh('refusal', 'refuse-waive', '婉拒电费减免', '理解您的心情，但电费按国家核定的电价标准计收，我们无法直接减免。如您对电量有疑问，可以申请电能表校验，我们会安排人员核实。', ['电费', '校验']),
  zh('refusal', 'refuse-indoor', '户内线路说明', '抱歉，供电公司负责电能表及表前线路的维护，户内线路属于用户资产，建议您联系有资质的电工检修。', ['户内', '产权']),

  // 升级与转接
  zh('escalation', 'transfer', '转接说明', '您的问题需要专业同事处理，我现在为您转接，您前面说明的情况会一并转过去，请稍候。', ['转接']),
  zh('escalation', 'escalate-lead', '升级值班长', '您反映的情况我已向值班长汇报，值班长会在30分钟内联系您，请保持电话畅通。', ['升级', '值班长']),
  zh('escalation', 'escalate-danger', '安全隐患紧急上报', '您反映的情况存在安全隐患，我已按紧急工单上报，抢修人员会优先处理。请您远离断落的电线和带电设备，并提醒周围的人注意安全。', ['安全', '紧急']),

  // 工单告知
  zh('ticket', 'repair', '报修受理', '已为您登记报修，抢修人员会尽快与您电话联系并上门处理，请保持电话畅通，注意用电安全。', ['报修']),
  zh('ticket', 'order', '已建工单', '已为您提交工单，工单号{ticket.number}，处理进展可以随时在“网上国网”App查询或拨打{brand.hotline}查询。', ['工单']),
  zh('ticket', 'order-status', '工单进度告知', '{customer.salutation}，您的工单{ticket.number}目前{ticket.status}，我们会持续跟进，有进展会及时通知您。', ['工单', '进度']),
  zh('ticket', 'urge', '催办受理', '已为您对工单{ticket.number}进行催办，处理部门会尽快与您联系，请保持电话畅通。', ['催办', '工单']),

  // 结束语
  zh('closing', 'bye', '结束语', '请问还有其他可以帮您的吗？如没有，感谢您的咨询，稍后请为本次服务评价，祝您生活愉快！', ['结束']),
  zh('closing', 'bye-rate', '邀请评价', '感谢您的耐心，本次由{agent.workNumber}号客服为您服务。稍后会推送满意度评价，请您对本次服务进行评价，谢谢！', ['评价']),
  zh('closing', 'bye-silent', '无应答结束', '您好，您已较长时间没有回复，本次会话将结束。如还需要帮助，欢迎随时再次联系我们。', ['超时']),

  // 不文明用语警示: the texts the abuse protocol posts (system-texts.ts abuse.*).
  zh('abusive_warning', 'abuse-1', '第一次警示', '温馨提示：请文明用语，以便我们更好地为您服务。', ['警示', '辱骂']),
  zh('abusive_warning', 'abuse-2', '第二次警示', '再次提示：如继续使用不文明用语，我们将结束本次会话。', ['警示', '辱骂']),
  zh('abusive_warning', 'abuse-close', '不文明用语结束会话', '由于多次不文明用语，本次会话已结束。如需帮助，请重新发起咨询。', ['警示', '辱骂']),

  // 节日问候
  zh('holiday', 'spring', '春节问候', '{customer.salutation}，新春快乐！{brand.hotline}祝您和家人新年吉祥、万事如意。春节期间我们24小时为您服务，有用电问题随时联系。', ['春节', '节日']),
  zh('holiday', 'mid-autumn', '中秋问候', '{customer.salutation}，中秋快乐！祝您阖家团圆、幸福安康。节日期间如遇用电问题，请随时联系{brand.hotline}。', ['中秋', '节日']),
  zh('holiday', 'national-day', '国庆问候', '{customer.salutation}，国庆快乐！祝您假期愉快。外出前请关闭不必要的电器，注意用电安全。', ['国庆', '节日']),
  zh('holiday', 'new-year', '元旦问候', '{customer.salutation}，元旦快乐！感谢您一年来对我们工作的支持，祝您新年顺利。', ['元旦', '节日']),
  zh('holiday', 'losar', '藏历新年问候', '{customer.salutation}，洛萨吉祥（བཀྲ་ཤིས་བདེ་ལེགས།）！祝您藏历新年吉祥如意。节日期间如遇用电问题，请随时联系{brand.hotline}。', ['藏历新年', '洛萨', '节日']),

  // 语种坐席
  zh('language_greeting', 'tibetan-offer', '藏语服务引导', '您好，我们提供藏语（安多、康巴）服务。如需用藏语沟通，我现在为您转接藏语坐席。', ['藏语', '转接']),
  zh('language_greeting', 'english-offer', '英语服务引导', '如您需要英语服务，我为您转接英语坐席。We also offer service in English; I can transfer you to our English desk.', ['英语', '转接']),
  bo('language_greeting', 'tashi', '藏语问候·安多（扎西德勒，您好）', 'བཀྲ་ཤིས་བདེ་ལེགས། ཁྱོད་བདེ་མོ་ཡིན་ནམ། 扎西德勒！我是{agent.workNumber}号藏语坐席，请问有什么可以帮您？', ['安多', 'tibetan-amdo']),
  bo('language_greeting', 'tashi-kham', '藏语问候·康巴（扎西德勒，您好）', 'བཀྲ་ཤིས་བདེ་ལེགས། ཁྱེད་རང་སྐུ་གཟུགས་བདེ་པོ་ཡིན་པས། 扎西德勒！我是{agent.workNumber}号藏语坐席，请问有什么可以帮您？', ['康巴', 'tibetan-kham']),
  bo('closing', 'thanks', '藏语致谢（图吉切，谢谢）', 'ཐུགས་རྗེ་ཆེ། 谢谢您的耐心，祝您扎西德勒！', ['安多', '康巴']),
  bo('closing', 'bye', '藏语结束语（慢走，再见）', 'ག་ལེར་ཕེབས། 请慢走，祝您吉祥如意！如还有用电问题，请随时联系{brand.hotline}。', ['安多', '康巴']),

  // 其他
  zh('general', 'app', '网上国网指引', '您可以下载“网上国网”App，注册并绑定户号后即可查询电费、缴费、报修和办理业务，足不出户就能办好。', ['网上国网', 'App']),
  zh('general', 'safety', '安全用电提醒', '温馨提示：发现电线断落请远离至少10米并立即报修；雷雨天气请勿靠近变压器和电线杆。', ['安全']),

  // English seat
  en('greeting', 'hello', 'Greeting', '{time.greeting}, this is the {brand.hotline} online service. Agent {agent.workNumber} speaking, how can I help you today?'),
  en('greeting', 'hello-name', 'Greeting by name', 'Hello {customer.salutation}, this is {agent.name} (agent {agent.workNumber}). How can I help you?'),
  en('identity_check', 'verify', 'Identity check', 'To protect your account, could you tell me your account or meter number and the account holder’s name?'),
  en('clarifying', 'clarify-addr', 'Confirm the address', 'Could you give me the full address of the supply: district, street, building and flat number?'),
  en('waiting', 'wait', 'Please wait', 'Thank you, I am checking that for you now. It will take a minute or two.'),
  en('soothing', 'sorry', 'Apology', 'I am very sorry for the inconvenience. I have noted everything you told me and will make sure it is followed up.'),
  en('explaining', 'outage', 'Outage notice', 'There is a fault on the line in your area and the repair crew is already on site. We will send you a text message as soon as power is restored.'),
  en('escalation', 'transfer', 'Transfer', 'A specialist colleague will take care of this. I am transferring you now, together with everything you have told me.'),
  en('ticket', 'order', 'Order created', 'I have created work order {ticket.number} for you. You can follow its progress in the app or by calling {brand.hotline}.'),
  en('ticket', 'order-status', 'Order status', 'Your work order {ticket.number} is currently {ticket.status}. We will let you know as soon as there is news.'),
  en('abusive_warning', 'abuse-1', 'First warning', 'Please keep the conversation polite so that we can help you.'),
  en('abusive_warning', 'abuse-2', 'Second warning', 'If the abusive language continues, we will have to end this conversation.'),
  en('closing', 'bye', 'Closing', 'Is there anything else I can help you with? Thank you for contacting us, and have a nice day.'),
];

/**
 * Writes the default script library of a brand. A script whose shortcut the brand already uses in
 * that language is skipped, so an admin's own scripts are never overwritten. Returns how many were added.
 */
export async function installDefaultScripts(db: Kysely<DB>, brandId: string, now: Date = new Date()): Promise<number> {
  const rows = DEFAULT_SCRIPTS.map((s, i) => ({
    brand_id: brandId,
    shortcut: s.shortcut,
    title: s.title,
    body: s.body,
    language: s.language,
    situation: s.situation,
    tags: [...(s.tags ?? [])],
    position: (i + 1) * 10,
    ...scriptSearchColumns({ title: s.title, body: s.body, tags: s.tags ?? [], situation: s.situation }),
    created_at: now,
    updated_at: now,
  }));
  const result = await db.insertInto('scripts').values(rows).onConflict((oc) => oc.columns(['brand_id', 'shortcut', 'language']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
