import type { TLanguage } from './contracts.ts';

// Every string in both languages, side by side: [zh-CN, en-US].
const STRINGS = {
  launcher: ['在线客服', 'Chat with us'],
  close: ['关闭', 'Close'],
  queued: ['排队中', 'Waiting for an agent'],
  queuedAt: ['排队中，您排在第 {n} 位', 'Waiting: number {n} in the queue'],
  active: ['已接入 {agent}', 'Chatting with {agent}'],
  activeAnon: ['已接入', 'Connected'],
  ended: ['已结束', 'Ended'],
  closed: ['当前非服务时间', 'Outside service hours'],
  typing: ['对方正在输入…', 'The agent is typing…'],
  placeholder: ['请输入消息，Enter 发送', 'Type a message, Enter to send'],
  send: ['发送', 'Send'],
  attach: ['发送图片或文件', 'Send an image or file'],
  endChat: ['结束对话', 'End chat'],
  endConfirm: ['确定结束本次对话吗？', 'End this chat?'],
  endYes: ['结束', 'End'],
  cancel: ['取消', 'Cancel'],
  sending: ['发送中', 'Sending'],
  failed: ['发送失败', 'Not sent'],
  tooLong: ['消息过长，最多 {n} 字', 'At most {n} characters'],
  uploading: ['正在上传 {name}（{pct}%）', 'Uploading {name} ({pct}%)'],
  uploadTooLarge: ['文件过大，最大 {max}', 'File too large (at most {max})'],
  uploadType: ['不支持该文件类型', 'File type not accepted'],
  uploadFailed: ['上传失败，请重试', 'Upload failed, try again'],
  preChatTitle: ['开始咨询前，请留下您的联系方式', 'Before we start, how can we reach you?'],
  name: ['姓名', 'Name'],
  phone: ['手机号码', 'Phone'],
  email: ['电子邮箱', 'Email'],
  topic: ['咨询类型', 'Topic'],
  message: ['留言内容', 'Message'],
  kind: ['需要我们', 'I would like to'],
  choose: ['请选择', 'Choose…'],
  errRequired: ['请填写此项', 'Required'],
  errPhone: ['请输入有效的电话号码', 'Enter a valid phone number'],
  errEmail: ['请输入有效的电子邮箱', 'Enter a valid email address'],
  errTooLong: ['内容过长', 'Too long'],
  start: ['开始咨询', 'Start chat'],
  leaveClosed: ['现在是非服务时间，请留言或预约回电。', 'We are closed now. Leave a message or ask us to call you back.'],
  leaveBusy: ['客服繁忙，请留言或预约回电。', 'All agents are busy. Leave a message or ask us to call you back.'],
  kindLeave: ['留言', 'Leave a message'],
  kindCallback: ['回电', 'Get a call back'],
  submit: ['提交', 'Submit'],
  leftThanks: ['已收到，我们会尽快与您联系。', 'Thank you, we will contact you soon.'],
  thanks: ['对话已结束，感谢您的咨询！', 'The chat has ended. Thank you!'],
  newChat: ['开始新的对话', 'Start a new chat'],
  connecting: ['正在连接…', 'Connecting…'],
  polling: ['网络不稳定，消息可能延迟', 'Unstable network, messages may be late'],
  loadFailed: ['在线客服暂时无法使用，请稍后再试。', 'Chat is unavailable, please try later.'],
  retry: ['重试', 'Retry'],
  requestFailed: ['请求失败，请稍后重试', 'Failed, please try again'],
  attachment: ['附件', 'Attachment'],
  bot: ['智能助手', 'Virtual assistant'],
  botServing: ['智能助手为您服务', 'Virtual assistant'],
  human: ['转人工', 'Talk to a person'],
  readMore: ['查看详情', 'Read more'],
  helpful: ['有帮助', 'Helpful'],
  unhelpful: ['没帮助', 'Not helpful'],
} satisfies Record<string, [zhCN: string, enUS: string]>;

export type MessageKey = keyof typeof STRINGS;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function createTranslator(language: TLanguage): Translate {
  const i = language === 'en-US' ? 1 : 0;
  return (key, vars) => STRINGS[key][i].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
}

/** 1536 → "1.5 KB"; used for upload limits. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / 104857.6) / 10} MB`;
}
