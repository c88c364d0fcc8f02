// Query analysis for the knowledge search (知识搜索): from the tokens of a question to groups of
// alternatives, then to a `to_tsquery('simple', …)` string. Pure: the server tokenizes with jieba
// at the edge and hands token arrays in, so these rules never depend on the segmenter.

/** One way to satisfy a group: every token must match (a multi-word synonym is several tokens). */
export type SearchAlternative = readonly string[];

/** One idea of the question (停电) with every way a document may say it (停电 | 断电 | 没电). */
export type SearchTermGroup = {
  /** The query token the group stands for, for highlighting and explanations. */
  head: string;
  alternatives: SearchAlternative[];
  /** Why alternatives were added: 'synonym' | 'typo' | 'subword' | 'split'. */
  sources: string[];
  /** Documents holding the group (set by applyVocabulary; 0: nothing can match it). */
  df?: number;
  /** How much the group counts in the score: its inverse document frequency (default 1). */
  weight?: number;
};

/** A synonym term with the tokens the server's segmenter gives for it. */
export type SynonymTerm = { text: string; tokens: readonly string[] };

/**
 * Function words that say nothing about the topic. Kept small on purpose: a stop word drops a
 * whole idea from the query, so only words that appear in almost every colloquial question go here.
 */
export const SEARCH_STOPWORDS: ReadonlySet<string> = new Set([
  // zh-CN
  '的', '了', '吗', '呢', '啊', '吧', '呀', '么', '嘛', '哦', '哈', '啦', '是', '在', '有', '和', '与', '或', '就', '都',
  '也', '还', '又', '要', '会', '能', '可以', '可', '我', '我们', '我家', '你', '你们', '您', '他', '她', '它', '这', '那',
  '这个', '那个', '这样', '那样', '怎么', '怎么样', '怎样', '如何', '什么', '为什么', '为何', '哪', '哪里', '哪儿', '多少',
  '请问', '请', '一下', '想', '想要', '需要', '不是', '是不是', '有没有', '没有', '一个', '个', '把', '被', '给', '让',
  '对', '到', '从', '吗?', '呢?', '得', '地', '着', '过', '就是', '还是', '但是', '然后', '现在', '今天', '一直', '老是',
  '总是', '突然', '好像', '应该', '已经', '怎么办', '咋', '咋办', '啥', '麻烦', '谢谢', '你好', '您好',
  // Where the customer is, not what happened: "家里没电了" is about the outage, not about homes.
  '家里', '家中', '我们家', '咱家', '家里面', '屋里',
  // en-US
  'a', 'an', 'the', 'i', 'me', 'my', 'mine', 'we', 'our', 'you', 'your', 'it', 'its', 'is', 'am', 'are', 'was', 'were',
  'be', 'been', 'do', 'does', 'did', 'have', 'has', 'had', 'can', 'could', 'would', 'should', 'will', 'shall', 'may',
  'might', 'must', 'to', 'of', 'in', 'on', 'at', 'for', 'from', 'by', 'with', 'about', 'into', 'and', 'or', 'but',
  'if', 'so', 'what', 'when', 'where', 'why', 'how', 'which', 'who', 'whom', 'this', 'that', 'these', 'those', 'there',
  'here', 'please', 'hi', 'hello', 'thanks', 'thank', 'get', 'got', 'any', 'some', 'just', 'still', 'again', 'not',
  'dont', "don't", 'cant', "can't", 'im', "i'm", 'there', 'up', 'out', 'need', 'want', 'know', 'tell', 'as',
]);

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /^[a-z][a-z0-9']*$/;

/** True for a token with a Chinese character in it. */
export function isHanToken(token: string): boolean {
  return HAN.test(token);
}

/**
 * A light English stemmer so `bills` matches `bill` and `paying` matches `pay`: the stem is then
 * matched as a prefix. Deliberately conservative (only plural -s/-es, -ing, -ed on longer words).
 */
export function stemLatin(token: string): string {
  if (!LATIN_WORD.test(token)) return token;
  if (token.length >= 6 && token.endsWith('ing')) return token.slice(0, -3);
  if (token.length >= 5 && token.endsWith('ied')) return `${token.slice(0, -3)}y`;
  if (token.length >= 5 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length >= 5 && token.endsWith('ed') && !token.endsWith('eed')) return token.slice(0, -2);
  if (token.length >= 5 && /(ss|x|ch|sh)es$/.test(token)) return token.slice(0, -2);
  if (token.length >= 4 && token.endsWith('s') && !token.endsWith('ss') && !token.endsWith('us')) return token.slice(0, -1);
  return token;
}

/** Whether a query token is matched as a prefix (`bill` → billing): not for single characters. */
export function matchesAsPrefix(token: string): boolean {
  return isHanToken(token) ? token.length >= 2 : token.length >= 3;
}

function latinTermInText(text: string, term: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(term, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : (text[at - 1] ?? '');
    const after = text[at + term.length] ?? '';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}

/** Whether a synonym term occurs in the (lower-cased) query text: substring for Chinese, whole words for Latin. */
export function synonymTermInText(text: string, term: string): boolean {
  const t = term.toLowerCase();
  if (!t) return false;
  return isHanToken(t) ? text.includes(t) : latinTermInText(text, t);
}

function alternativesOfTerm(term: SynonymTerm): SearchAlternative[] {
  const whole = term.text.toLowerCase();
  const tokens = term.tokens.filter((t) => t.length > 0);
  const out: SearchAlternative[] = [];
  // jieba may cut 没电 as one word in a sentence but as 没 / 电 alone: accept either spelling.
  if (!/\s/.test(whole)) out.push([whole]);
  if (tokens.length > 0 && !(tokens.length === 1 && tokens[0] === whole)) out.push(tokens);
  return out;
}

function sameAlternative(a: SearchAlternative, b: SearchAlternative): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function addAlternative(group: SearchTermGroup, alt: SearchAlternative, source?: string): void {
  if (group.alternatives.some((a) => sameAlternative(a, alt))) return;
  group.alternatives.push(alt);
  if (source && !group.sources.includes(source)) group.sources.push(source);
}

export type SearchPlanInput = {
  /** The question as typed. */
  text: string;
  /** The server's tokens of the question, in order. */
  tokens: readonly string[];
  /** Synonym groups (停电 / 断电 / 没电), each term with its tokens. */
  synonyms?: readonly (readonly SynonymTerm[])[];
  /** Drop stop words (default true). When every token is a stop word they are kept. */
  dropStopwords?: boolean;
};

/**
 * Turns a question into groups of alternatives:
 * 1. stop words out (unless nothing would be left);
 * 2. a token contained in a longer query token (停电 in 停电通知, from jieba's search mode) joins
 *    that token's group as an alternative instead of being a separate idea;
 * 3. every synonym group whose term occurs in the question adds all its terms as alternatives to
 *    the group(s) the term covers; a multi-word term (power outage) merges the groups of its words;
 * 4. English tokens also accept their light stem as a prefix (bills → bill:*).
 */
export function buildSearchPlan(input: SearchPlanInput): SearchTermGroup[] {
  const text = input.text.toLowerCase();
  const raw = [...new Set(input.tokens.map((t) => t.toLowerCase().trim()).filter((t) => t.length > 0))];
  const dropStop = input.dropStopwords ?? true;
  let tokens = dropStop ? raw.filter((t) => !SEARCH_STOPWORDS.has(t)) : raw;
  if (tokens.length === 0) tokens = raw;

  // Longest first, so sub-words fold into the word that contains them.
  const byLength = [...tokens].sort((a, b) => b.length - a.length);
  const groups: SearchTermGroup[] = [];
  const groupOf = new Map<string, SearchTermGroup>();
  for (const token of byLength) {
    const container = isHanToken(token) ? groups.find((g) => g.head.includes(token)) : undefined;
    if (container) {
      addAlternative(container, [token], 'subword');
      groupOf.set(token, container);
      continue;
    }
    const group: SearchTermGroup = { head: token, alternatives: [[token]], sources: [] };
    const stem = stemLatin(token);
    if (stem !== token) addAlternative(group, [stem]);
    groups.push(group);
    groupOf.set(token, group);
  }
  // Back to question order: explanations and highlights read naturally.
  const order = (g: SearchTermGroup) => {
    const i = tokens.indexOf(g.head);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  groups.sort((a, b) => order(a) - order(b));

  for (const synonymGroup of input.synonyms ?? []) {
    const present = synonymGroup.filter((term) => synonymTermInText(text, term.text));
    if (present.length === 0) continue;
    for (const term of present) {
      // The groups the term covers: its own tokens, or the query token it sits inside (停电 in 停电通知).
      const termText = term.text.toLowerCase();
      const covered = new Set<SearchTermGroup>();
      for (const t of [termText, ...term.tokens.map((x) => x.toLowerCase())]) {
        const g = groupOf.get(t);
        if (g) covered.add(g);
      }
      if (covered.size === 0) {
        for (const g of groups) if (isHanToken(termText) && g.head.includes(termText)) covered.add(g);
      }
      if (covered.size === 0) continue;
      let target: SearchTermGroup;
      if (covered.size === 1) {
        target = [...covered][0] as SearchTermGroup;
      } else {
        // A multi-word term (power outage): its words become one idea.
        const merged = [...covered];
        target = merged[0] as SearchTermGroup;
        target.head = termText;
        target.alternatives = [];
        for (const g of merged.slice(1)) {
          const at = groups.indexOf(g);
          if (at >= 0) groups.splice(at, 1);
          for (const [k, v] of groupOf) if (v === g) groupOf.set(k, target);
        }
      }
      for (const alt of alternativesOfTerm(term)) addAlternative(target, alt);
      for (const other of synonymGroup) {
        for (const alt of alternativesOfTerm(other)) addAlternative(target, alt, 'synonym');
      }
    }
  }
  for (const g of groups) if (g.alternatives.length === 0) g.alternatives.push([g.head]);
  return groups;
}

function quoteLexeme(token: string): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${matchesAsPrefix(token) ? ':*' : ''}`;
}

function alternativeQuery(alt: SearchAlternative): string {
  const parts = alt.map(quoteLexeme);
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' & ')})`;
}

/** The tsquery of one group: its alternatives OR-ed. */
export function groupTsQuery(group: SearchTermGroup): string {
  const alts = group.alternatives.filter((a) => a.length > 0).map(alternativeQuery);
  return alts.length === 1 ? (alts[0] as string) : `(${alts.join(' | ')})`;
}

/**
 * The `to_tsquery('simple', …)` text for the groups: 'and' needs every idea, 'or' any. Lexemes are
 * quoted, so user input can never inject tsquery operators. Null when there is nothing to search.
 */
export function toGroupsTsQuery(groups: readonly SearchTermGroup[], mode: 'and' | 'or'): string | null {
  // A group no document holds would only empty the AND query.
  const parts = groups.filter((g) => g.alternatives.length > 0 && g.df !== 0).map(groupTsQuery);
  if (parts.length === 0) return null;
  return parts.join(mode === 'and' ? ' & ' : ' | ');
}

/** Every token that may show up in a matching document, for highlighting. */
export function highlightTerms(groups: readonly SearchTermGroup[]): string[] {
  const out = new Set<string>();
  for (const g of groups) {
    for (const alt of g.alternatives) {
      // A Chinese phrase cut into characters (没 / 电) is marked as the phrase, not as every 电 of the text.
      if (alt.length > 1 && alt.every(isHanToken)) out.add(alt.join(''));
      else for (const t of alt) out.add(t);
    }
  }
  return [...out];
}

/** Document frequencies of the words of the searched documents (from ts_stat), and how many documents there are. */
export type SearchVocabulary = { words: ReadonlyMap<string, number>; documents: number };

function documentFrequency(vocab: SearchVocabulary, token: string): number {
  if (!matchesAsPrefix(token)) return vocab.words.get(token) ?? 0;
  let df = 0;
  for (const [word, n] of vocab.words) if (word.startsWith(token)) df = Math.max(df, n);
  return df;
}

/** Splits an unknown Chinese word into the known words it is made of, longest first (哪交 → 交, 罚钱 → 罚 钱). */
export function splitIntoKnownWords(token: string, vocab: SearchVocabulary): string[] {
  const chars = [...token];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let taken = 0;
    for (let len = Math.min(4, chars.length - i); len >= 1; len--) {
      const part = chars.slice(i, i + len).join('');
      if (part !== token && (vocab.words.get(part) ?? 0) > 0) {
        if (!SEARCH_STOPWORDS.has(part)) out.push(part);
        taken = len;
        break;
      }
    }
    i += taken || 1;
  }
  return out;
}

/**
 * Fits the groups to the documents' vocabulary: a Chinese word no document has (jieba glued 哪交
 * from 在哪交) gets its known parts as alternatives; every group then weighs its inverse document
 * frequency, so a rare word decides more than a common one; a group nothing can match is marked
 * (`df` 0) and left out of the AND query.
 */
export function applyVocabulary(groups: readonly SearchTermGroup[], vocab: SearchVocabulary): SearchTermGroup[] {
  return groups.map((g) => {
    const alternatives = [...g.alternatives];
    const sources = [...g.sources];
    const dfOf = (alt: SearchAlternative) => Math.min(...alt.map((t) => documentFrequency(vocab, t)));
    if (isHanToken(g.head) && alternatives.every((a) => dfOf(a) === 0)) {
      for (const part of splitIntoKnownWords(g.head, vocab)) {
        if (!alternatives.some((a) => a.length === 1 && a[0] === part)) alternatives.push([part]);
      }
      if (!sources.includes('split')) sources.push('split');
    }
    const df = Math.min(vocab.documents, Math.max(0, ...alternatives.map(dfOf)));
    const weight = df === 0 ? 0 : Math.log(1 + vocab.documents / df);
    return { ...g, alternatives, sources, df, weight };
  });
}
