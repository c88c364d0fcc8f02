// Turning segmented text (jieba tokens, computed by the server) into classifier features.
// Pure: the segmentation itself needs the dictionary and lives in the server.

/**
 * Words that say nothing about why a customer got in touch: particles, pronouns, greetings and
 * politeness (你好, 谢谢), and the filler every chat carries (请问, 一下). Chinese and English.
 */
export const CLASSIFIER_STOPWORDS: ReadonlySet<string> = new Set([
  // zh: particles, pronouns, copulas
  '的', '了', '吗', '呢', '啊', '吧', '呀', '哦', '嗯', '么', '着', '过', '和', '与', '或', '是', '在', '有', '也', '都', '就', '还', '又',
  '我', '你', '您', '他', '她', '它', '我们', '你们', '他们', '咱们', '这', '那', '这个', '那个', '这里', '那里', '什么', '怎么', '怎么样',
  '一下', '一个', '一些', '现在', '然后', '因为', '所以', '但是', '可以', '能', '会', '要', '想', '请', '请问', '麻烦', '帮', '帮我',
  // zh: greetings and politeness (every chat has them, whatever the reason)
  '你好', '您好', '在吗', '谢谢', '谢谢你', '好的', '明白', '明白了', '知道', '知道了', '行', '客服', '人工', '人工客服', '先生', '女士',
  // zh: identity lines (户号 + a number) that every verified chat has
  '户号', '户主', '我的',
  // en
  'a', 'an', 'the', 'i', 'me', 'my', 'we', 'you', 'your', 'it', 'is', 'are', 'am', 'was', 'be', 'to', 'of', 'in', 'on', 'at', 'for', 'and',
  'or', 'do', 'does', 'can', 'could', 'please', 'hello', 'hi', 'thanks', 'thank', 'ok', 'okay', 'this', 'that', 'with', 'have', 'has',
]);

export type FeatureOptions = {
  /** Drop tokens shorter than this many characters (default 1: keep all; 2 drops single characters). */
  minTokenLength?: number;
  /** Drop CLASSIFIER_STOPWORDS (default true). */
  dropStopwords?: boolean;
};

// Account numbers, phone numbers, amounts: unique per customer, never a reason.
const NUMBER = /^[\d.,:：/-]+$/u;

/**
 * The features of a text: its tokens, lower-cased, de-duplicated, without stopwords and numbers
 * (and, when asked, single characters). Presence, not counts: a chat that repeats 停电 three
 * times is not three times more about an outage.
 */
export function toFeatures(tokens: readonly string[], options: FeatureOptions = {}): string[] {
  const minLength = options.minTokenLength ?? 1;
  const dropStopwords = options.dropStopwords ?? true;
  const out = new Set<string>();
  for (const raw of tokens) {
    const token = raw.trim().toLowerCase();
    if (!token || [...token].length < minLength || NUMBER.test(token)) continue;
    if (dropStopwords && CLASSIFIER_STOPWORDS.has(token)) continue;
    out.add(token);
  }
  return [...out];
}
