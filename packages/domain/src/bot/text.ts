// Text helpers of the self-service bot (智能助手): language guess, normalisation for the unanswered
// list, and the tokens the repeat detector compares. Pure and dictionary-free on purpose (jieba is
// a native module of the server): Chinese is compared by character bigrams, English by words.

export type BotLanguage = 'zh-CN' | 'en-US';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const LATIN = /[a-z]/i;
// Modal particles and fillers that change nothing about the question (吗, 呢, 啊…).
const PARTICLES = /[啊呀吗呢吧哦噢嘛哈呐]/g;
const PUNCTUATION = /[\s\p{P}\p{S}]+/gu;
const EN_STOP = new Set(['a', 'an', 'the', 'is', 'are', 'am', 'i', 'my', 'me', 'do', 'does', 'to', 'of', 'for', 'please', 'can', 'you', 'it', 'in', 'on', 'and', 'or', 'what', 'how', 'hi', 'hello']);

/** zh-CN when the text has any Chinese character, en-US when it has Latin letters only, else the fallback. */
export function detectLanguage(text: string, fallback: BotLanguage = 'zh-CN'): BotLanguage {
  if (CJK.test(text)) return 'zh-CN';
  if (LATIN.test(text)) return 'en-US';
  return fallback;
}

/** Lower case, full-width folded, without punctuation, spaces and modal particles: the key of the unanswered list. */
export function normalizeQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(PARTICLES, '')
    .replace(PUNCTUATION, ' ')
    .trim()
    .replace(/\s+(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])\s+/g, '')
    .replace(/\s+/g, ' ');
}

/** Distinct tokens of a question: Chinese character bigrams (single characters for one-character runs) and English words. */
export function questionTokens(text: string): string[] {
  const norm = normalizeQuestion(text);
  const out = new Set<string>();
  for (const run of norm.match(/[\u3400-\u9fff]+/g) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i += 1) out.add(run.slice(i, i + 2));
  }
  for (const word of norm.match(/[a-z0-9]+/g) ?? []) {
    if (!EN_STOP.has(word)) out.add(word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word);
  }
  return [...out];
}

/** Jaccard overlap of the two questions' tokens, 0…1 (1 = the same question). */
export function tokenOverlap(a: string, b: string): number {
  const ta = new Set(questionTokens(a));
  const tb = new Set(questionTokens(b));
  if (ta.size === 0 || tb.size === 0) return 0;
  let inter = 0;
  for (const t of ta) if (tb.has(t)) inter += 1;
  return inter / (ta.size + tb.size - inter);
}
