import type { BotLanguage } from './text.ts';

// What the bot says, zh-CN first. {name} placeholders are filled by botText.
const TEXTS = {
  greeting: {
    'zh-CN': '您好，我是智能助手，可以解答用电问题，也能帮您查询停电信息、查询工单进度、在线报修。需要人工服务时请点击“转人工”。',
    'en-US': "Hello, I'm the virtual assistant. I can answer questions about your electricity service, check outage notices, look up your work orders and take a repair request. Tap “Talk to a person” at any time.",
  },
  answerLink: { 'zh-CN': '查看详情：{url}', 'en-US': 'Details: {url}' },
  answerAsk: { 'zh-CN': '以上回答对您有帮助吗？', 'en-US': 'Did this answer help?' },
  clarify: { 'zh-CN': '您想问的是：{options}', 'en-US': 'Did you mean: {options}' },
  clarifyHint: { 'zh-CN': '请回复序号或点击选项。', 'en-US': 'Reply with the number or tap an option.' },
  fallback: { 'zh-CN': '抱歉，没听懂您的问题。请换个说法试试，或者点击“转人工”。', 'en-US': "Sorry, I didn't understand. Please try other words, or tap “Talk to a person”." },
  fallbackSuggest: { 'zh-CN': '您是不是想问：{options}', 'en-US': 'Maybe you meant: {options}' },
  thanks: { 'zh-CN': '很高兴能帮到您！还有其他问题可以继续问我。', 'en-US': 'Glad I could help! Ask me anything else.' },
  sorry: { 'zh-CN': '抱歉没能帮到您。您可以换个说法再问，或点击“转人工”。', 'en-US': 'Sorry that did not help. Try asking in other words, or tap “Talk to a person”.' },
  'handoff.customer_asked': { 'zh-CN': '好的，正在为您转接人工客服，请稍候。', 'en-US': 'Sure, connecting you to a person now. Please wait a moment.' },
  'handoff.low_confidence_repeated': { 'zh-CN': '抱歉，我暂时无法回答这个问题，正在为您转接人工客服，请稍候。', 'en-US': "Sorry, I can't answer that yet. Connecting you to a person, please wait." },
  'handoff.repeated_question': { 'zh-CN': '看来刚才的回答没能解决您的问题，正在为您转接人工客服，请稍候。', 'en-US': "It looks like my answer didn't solve it. Connecting you to a person, please wait." },
  'handoff.negative_sentiment': { 'zh-CN': '非常抱歉给您带来不便，正在为您转接人工客服，请稍候。', 'en-US': 'We are very sorry for the trouble. Connecting you to a person now, please wait.' },
  'handoff.flow_needs_person': { 'zh-CN': '这个问题需要人工为您办理，正在为您转接人工客服，请稍候。', 'en-US': 'A person needs to handle this. Connecting you now, please wait.' },
  'handoff.bot_error': { 'zh-CN': '正在为您转接人工客服，请稍候。', 'en-US': 'Connecting you to a person, please wait.' },
  'flow.cancelled': { 'zh-CN': '好的，已取消。还有其他问题可以继续问我。', 'en-US': 'OK, cancelled. Ask me anything else.' },
  'outage.askArea': { 'zh-CN': '请告诉我您所在的区县（例如：{example}），我来查询停电信息。', 'en-US': 'Which district are you in (for example {example})? I will check for outages.' },
  'outage.unknownArea': { 'zh-CN': '没有找到这个区县，请再说一次（例如：{example}）。', 'en-US': "I couldn't find that district. Please try again (for example {example})." },
  'outage.none': { 'zh-CN': '{area}目前没有故障停电信息。如果您家中停电，可能是户内故障，可以说“报修”在线报修。', 'en-US': 'There is no outage reported in {area} right now. If your home has no power it may be a fault inside; say “repair” to report it.' },
  'outage.found': { 'zh-CN': '{area}目前有以下停电信息：{items}。抢修人员正在处理，请耐心等待。', 'en-US': 'Current outages in {area}: {items}. Crews are working on it.' },
  'outage.item': { 'zh-CN': '{title}（{number}，预计{restore}恢复）', 'en-US': '{title} ({number}, expected back {restore})' },
  'outage.unknownRestore': { 'zh-CN': '时间待定', 'en-US': 'time to be confirmed' },
  'orders.needIdentity': {
    'zh-CN': '查询工单需要先确认您的身份：请登录网上营业厅后再打开在线客服，或点击“转人工”由客服为您核实身份后查询。',
    'en-US': 'To look up your work orders I need to know who you are: sign in on our website and open the chat again, or tap “Talk to a person” to have an agent verify you.',
  },
  'orders.none': { 'zh-CN': '{name}，您目前没有处理中的工单。', 'en-US': '{name}, you have no open work orders.' },
  'orders.list': { 'zh-CN': '{name}，您有 {count} 个处理中的工单：{items}', 'en-US': '{name}, you have {count} open work order(s): {items}' },
  'orders.item': { 'zh-CN': '{number} {category}：{status}', 'en-US': '{number} {category}: {status}' },
  'repair.needCustomer': { 'zh-CN': '在线报修需要关联您的用电户号。', 'en-US': 'An online repair request needs your customer account.' },
  'repair.confirmAddress': { 'zh-CN': '您要报修的地址是：{address}，对吗？', 'en-US': 'Is the address to repair {address}?' },
  'repair.askAddress': { 'zh-CN': '请告诉我需要报修的详细地址。', 'en-US': 'Please tell me the full address to repair.' },
  'repair.askDescription': { 'zh-CN': '请简单描述故障情况（例如：家里全部停电、电表冒烟）。', 'en-US': 'Please describe the problem briefly (for example: no power at all, the meter is smoking).' },
  'repair.askPhone': { 'zh-CN': '请留下联系电话，方便抢修人员联系您。', 'en-US': 'Please leave a phone number so the crew can reach you.' },
  'repair.badPhone': { 'zh-CN': '电话号码好像不对，请重新输入（例如：13900000001）。', 'en-US': "That phone number doesn't look right. Please enter it again (for example 13900000001)." },
  'repair.confirm': { 'zh-CN': '请确认报修信息——地址：{address}；故障：{description}；电话：{phone}。确认提交吗？', 'en-US': 'Please confirm — address: {address}; problem: {description}; phone: {phone}. Submit?' },
  'repair.created': { 'zh-CN': '报修已提交，工单号 {number}。抢修人员会尽快与您联系，您可以随时说“查询我的工单”查看进度。', 'en-US': 'Your repair request is filed: work order {number}. A crew will contact you soon; say “my orders” to check progress.' },
  'yesNo.repeat': { 'zh-CN': '请回复“是”或“否”。', 'en-US': 'Please answer “yes” or “no”.' },
  'option.yes': { 'zh-CN': '是', 'en-US': 'Yes' },
  'option.no': { 'zh-CN': '否', 'en-US': 'No' },
  'option.human': { 'zh-CN': '转人工', 'en-US': 'Talk to a person' },
  'option.outage': { 'zh-CN': '停电查询', 'en-US': 'Outage notice' },
  'option.orders': { 'zh-CN': '查询我的工单', 'en-US': 'My work orders' },
  'option.repair': { 'zh-CN': '报修', 'en-US': 'Report a fault' },
} as const;

export type BotTextKey = keyof typeof TEXTS;

/** The bot's sentence for `key` in `language`, placeholders filled. */
export function botText(key: BotTextKey, language: BotLanguage, vars: Record<string, string | number> = {}): string {
  return TEXTS[key][language].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
