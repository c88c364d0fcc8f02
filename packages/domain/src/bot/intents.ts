// Recognisers for what a customer message asks of the bot, besides a knowledge question: a person
// (转人工), feedback on an answer, yes/no, cancel, picking a clarifying option, starting a flow.

import { normalizeQuestion } from './text.ts';

export type BotFlowName = 'outage' | 'my_orders' | 'repair';

const HUMAN_ZH = /转人工|人工客服|人工服务|找人工|要人工|接人工|^人工$|真人|客服人员|找客服|转客服|人工坐席|接线员/;
const HUMAN_EN = /\b(human|agent|real person|a person|operator|representative|talk to (someone|somebody|a person))\b/i;

/** True when the customer asks for a person (转人工 / 人工 / 真人 / 客服 / human / agent…). */
export function isHumanRequest(text: string): boolean {
  const t = text.normalize('NFKC').trim();
  if (HUMAN_ZH.test(t) || HUMAN_EN.test(t)) return true;
  // A bare "客服" is a call for a person too; "客服电话是多少" is a question.
  return /^(客服|人工|人工吧|我要客服)[!！。.]*$/.test(t);
}

const HELPFUL = /^(有帮助|有用|解决了|已解决|明白了|知道了|懂了|好的谢谢|谢谢|谢谢你|多谢|感谢|thanks?( you)?|thank you|helpful|solved|got it|that helps|great)[!！。.]*$/i;
const UNHELPFUL = /^(没帮助|没有帮助|没用|不对|没解决|没有解决|不是这个|答非所问|not helpful|unhelpful|no help|wrong answer|that'?s not it|didn'?t help)[!！。.]*$/i;

/** Feedback on the previous answer, when the whole message is one. */
export function detectFeedback(text: string): 'helpful' | 'unhelpful' | null {
  const t = text.normalize('NFKC').trim();
  if (UNHELPFUL.test(t)) return 'unhelpful';
  if (HELPFUL.test(t)) return 'helpful';
  return null;
}

const YES = /^(是|是的|对|对的|没错|正确|确认|确定|好|好的|可以|嗯|嗯嗯|提交|确认提交|yes|y|yeah|yep|ok|okay|correct|confirm|sure|right)[!！。.]*$/i;
const NO = /^(不是|不对|否|不|错|不用|不要|不正确|换一个|no|n|nope|wrong|incorrect|not right)[!！。.]*$/i;

/** A yes or no answer to a confirmation, or null when the message is something else. */
export function detectYesNo(text: string): 'yes' | 'no' | null {
  const t = text.normalize('NFKC').trim();
  if (NO.test(t)) return 'no';
  if (YES.test(t)) return 'yes';
  return null;
}

/** True when the customer wants out of a running flow. */
export function isCancel(text: string): boolean {
  return /^(取消|算了|不办了|退出|不用了|cancel|stop|quit|never ?mind)[!！。.]*$/i.test(text.normalize('NFKC').trim());
}

const GREETING = /^(你好|您好|在吗|在不在|哈喽|嗨|hi|hello|hey|good (morning|afternoon|evening))[!！。.~～]*$/i;

/** True for a bare greeting ("你好", "hi"). */
export function isGreeting(text: string): boolean {
  return GREETING.test(text.normalize('NFKC').trim());
}

const FLOW_PATTERNS: ReadonlyArray<[BotFlowName, RegExp]> = [
  ['repair', /^(我要|我想|申请|帮我)?报修$|我要报修|申请报修|(想|要|需要)报修|帮我报修|报个修|report (a )?(fault|repair|problem)|repair request|request (a )?repair|^repair$/i],
  ['my_orders', /(查询?|查一?下|看看)(我的)?(工单|报修进度|报修单|单子)|我的工单|工单(状态|进度)|报修进度|my (work )?orders?|order status|repair (status|progress)|ticket status|check my (tickets?|orders?)/i],
  ['outage', /(查询?|查一?下)(一下)?(我家|我这|附近|本地|小区)?(的)?停电|停电(查询|通知|信息|公告|计划)|计划停电|哪里停电|(什么时候|何时)(来电|恢复供电)|outage (notice|info|information|status|map)|planned outage|check (for )?(an? )?outage|when will (the )?power (be )?(back|restored)/i],
];

/** The self-service flow a message starts, if any. "停电了怎么办" is a question, "停电查询" a flow. */
export function detectFlow(text: string): BotFlowName | null {
  const t = normalizeQuestion(text) || text;
  for (const [flow, re] of FLOW_PATTERNS) if (re.test(t) || re.test(text.trim())) return flow;
  return null;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 };

/**
 * The 0-based option a message picks among `labels` ("1", "第二个", "option 2", or a label's text),
 * or null.
 */
export function pickOption(text: string, labels: readonly string[]): number | null {
  const t = text.normalize('NFKC').trim();
  const m = /^(?:第|option |no\.? ?|#)?([1-5一二三四五])(?:个|条|项|\.|、)?$/i.exec(t);
  if (m?.[1]) {
    const n = CN_DIGITS[m[1]] ?? Number(m[1]);
    return n >= 1 && n <= labels.length ? n - 1 : null;
  }
  const norm = normalizeQuestion(t);
  if (!norm) return null;
  const exact = labels.findIndex((l) => normalizeQuestion(l) === norm);
  return exact >= 0 ? exact : null;
}
