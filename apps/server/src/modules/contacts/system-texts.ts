// Texts the system itself posts into a conversation (the customer sees them in the widget).
// zh-CN first: the widget shows them as sent; the script library (issue 6) will make them editable.
const TEXTS = {
  'queued': '您好，正在为您转接人工客服，请稍候。',
  'overflow.closed': '现在是非服务时间，请留言或预约回电，我们会在工作时间尽快联系您。',
  'overflow.busy': '当前咨询人数较多，请留言或预约回电，我们会尽快联系您。',
  'agent.joined': '客服 {name}（工号 {number}）为您服务。',
  'transferred': '正在为您转接其他客服，请稍候。',
  'ended.by_agent': '本次会话已结束，感谢您的咨询。',
  'ended.by_customer': '客户已结束会话。',
  'ended.idle': '由于长时间没有新消息，本次会话已结束。如需帮助，请重新发起咨询。',
  'abuse.warning_1': '温馨提示：请文明用语，以便我们更好地为您服务。',
  'abuse.warning_2': '再次提示：如继续使用不文明用语，我们将结束本次会话。',
  'abuse.closing': '由于多次不文明用语，本次会话已结束。如需帮助，请重新发起咨询。',
} as const;

export type SystemTextKey = keyof typeof TEXTS;

export function systemText(key: SystemTextKey, vars: Record<string, string> = {}): string {
  return TEXTS[key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}
