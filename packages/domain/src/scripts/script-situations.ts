// Situations (场景) group the standard scripts (标准话术) in the library and in the reply box.
// Codes are stored on each script; the web app carries the zh-CN / en-US labels (i18n
// `scripts.situation.<code>`).

export const SCRIPT_SITUATIONS = [
  'greeting', // 开场问候
  'identity_check', // 身份核实
  'clarifying', // 问题澄清 / 确认诉求
  'waiting', // 请稍候 / 查询中
  'soothing', // 安抚 (complaints, outages)
  'explaining', // 业务解释 (policies, procedures)
  'refusal', // 婉拒 (what we cannot do, and what we can)
  'escalation', // 升级 / 转接
  'ticket', // 工单告知 (order created, progress)
  'closing', // 结束语
  'abusive_warning', // 不文明用语警示
  'holiday', // 节日问候
  'language_greeting', // 语种坐席问候 (Tibetan, English)
  'general', // 其他
] as const;
export type ScriptSituation = (typeof SCRIPT_SITUATIONS)[number];

export function isScriptSituation(value: string): value is ScriptSituation {
  return (SCRIPT_SITUATIONS as readonly string[]).includes(value);
}

/** Languages a script may be written in: the two UI languages and Tibetan for the language seats. */
export const SCRIPT_LANGUAGES = ['zh-CN', 'en-US', 'bo'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];
