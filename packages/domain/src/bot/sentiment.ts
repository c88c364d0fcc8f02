// A small lexicon-based sentiment scorer for the bot: when a customer is angry, a person takes over
// (情绪识别转人工). Each term has a weight; a negation just before a term ("不是投诉", "not useless")
// cancels it; runs of angry punctuation add to the score. Deliberately simple and explainable.

type Term = { term: string; weight: number };

const ZH_TERMS: readonly Term[] = [
  { term: '投诉', weight: 3 },
  { term: '垃圾', weight: 3 },
  { term: '气死', weight: 3 },
  { term: '骗子', weight: 3 },
  { term: '什么破', weight: 3 },
  { term: '打12345', weight: 3 },
  { term: '12345', weight: 2 },
  { term: '曝光', weight: 2 },
  { term: '太差', weight: 2 },
  { term: '差劲', weight: 2 },
  { term: '没用', weight: 2 },
  { term: '废物', weight: 3 },
  { term: '恶心', weight: 2 },
  { term: '忍无可忍', weight: 3 },
  { term: '受够了', weight: 3 },
  { term: '太过分', weight: 2 },
  { term: '无语', weight: 1 },
  { term: '坑人', weight: 2 },
  { term: '找媒体', weight: 3 },
];

const EN_TERMS: readonly Term[] = [
  { term: 'complaint', weight: 3 },
  { term: 'complain', weight: 3 },
  { term: 'rubbish', weight: 3 },
  { term: 'garbage', weight: 3 },
  { term: 'scam', weight: 3 },
  { term: 'liars', weight: 3 },
  { term: 'furious', weight: 3 },
  { term: 'worst', weight: 3 },
  { term: 'ridiculous', weight: 2 },
  { term: 'terrible', weight: 2 },
  { term: 'awful', weight: 2 },
  { term: 'useless', weight: 2 },
  { term: 'angry', weight: 2 },
  { term: 'hate', weight: 2 },
  { term: 'stupid', weight: 2 },
  { term: 'fed up', weight: 3 },
  { term: 'unacceptable', weight: 2 },
];

const ZH_NEGATIONS = ['不是', '不算', '并不', '不', '没', '别', '无', '非'];
const EN_NEGATIONS = new Set(['not', 'no', 'never', "isn't", "wasn't", "don't", "doesn't", "aren't", 'nothing']);

export type SentimentScore = {
  /** Sum of the weights found (0 = neutral); negative sentiment from `threshold` up. */
  score: number;
  negative: boolean;
  /** The terms that counted, for the handoff summary. */
  hits: string[];
};

export const DEFAULT_NEGATIVE_THRESHOLD = 3;

function zhNegated(text: string, index: number, term: string): boolean {
  // "没用" starts with a negation itself: only a negation before the whole term counts.
  const before = text.slice(Math.max(0, index - 2), index);
  return ZH_NEGATIONS.some((n) => before.endsWith(n)) && !(term.startsWith('没') && before.endsWith('没'));
}

/** Scores one customer message. Pure; the threshold decides `negative`. */
export function scoreSentiment(text: string, threshold = DEFAULT_NEGATIVE_THRESHOLD): SentimentScore {
  const zh = text.normalize('NFKC');
  const lower = zh.toLowerCase();
  let score = 0;
  const hits: string[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (from: number, to: number) => taken.some(([a, b]) => from < b && to > a);
  for (const { term, weight } of ZH_TERMS) {
    let at = zh.indexOf(term);
    while (at >= 0) {
      if (!overlaps(at, at + term.length) && !zhNegated(zh, at, term)) {
        score += weight;
        hits.push(term);
        taken.push([at, at + term.length]);
      }
      at = zh.indexOf(term, at + term.length);
    }
  }
  const words = lower.match(/[a-z']+/g) ?? [];
  for (const { term, weight } of EN_TERMS) {
    const parts = term.split(' ');
    for (let i = 0; i + parts.length <= words.length; i += 1) {
      if (!parts.every((p, k) => (words[i + k] ?? '').startsWith(p))) continue;
      const prev = words.slice(Math.max(0, i - 2), i);
      if (prev.some((w) => EN_NEGATIONS.has(w) || w.endsWith("n't"))) continue;
      score += weight;
      hits.push(term);
    }
  }
  // Angry punctuation: three or more exclamation marks (!!! or ！！！), repeated question marks.
  if (/[!！]{3,}/.test(zh)) {
    score += 2;
    hits.push('!!!');
  }
  if (/[?？]{3,}/.test(zh)) {
    score += 1;
    hits.push('???');
  }
  // Shouting in English: two or more words of 3+ capitals.
  if ((text.match(/\b[A-Z]{3,}\b/g) ?? []).length >= 2) {
    score += 1;
    hits.push('CAPS');
  }
  return { score, negative: score >= threshold, hits };
}
