import { describe, expect, it } from 'vitest';
import { escapeHtml, findMatches, highlightSnippet, highlightText, markdownToPlain } from './highlight.ts';
import { isPinyinInitialsQuery, pinyinInitialsMatch } from './pinyin-initials.ts';
import { applyVocabulary, buildSearchPlan, groupTsQuery, splitIntoKnownWords, highlightTerms, stemLatin, synonymTermInText, toGroupsTsQuery } from './query-plan.ts';
import { groupFieldWeight, parseTsVector, scoreSearchHit } from './scoring.ts';
import { addTypoAlternatives, chineseSubwordGroups, editDistance } from './typo.ts';

const OUTAGE = [
  { text: '停电', tokens: ['停电'] },
  { text: '断电', tokens: ['断电'] },
  { text: '没电', tokens: ['没', '电'] },
];
const POWER = [
  { text: 'outage', tokens: ['outage'] },
  { text: 'power cut', tokens: ['power', 'cut'] },
  { text: 'blackout', tokens: ['blackout'] },
];

describe('buildSearchPlan', () => {
  it('drops stop words but keeps a query made only of them', () => {
    expect(buildSearchPlan({ text: '停电了怎么办', tokens: ['停电', '了', '怎么', '怎么办'] }).map((g) => g.head)).toEqual(['停电']);
    expect(buildSearchPlan({ text: 'how do i', tokens: ['how', 'do', 'i'] }).map((g) => g.head)).toEqual(['how', 'do', 'i']);
    expect(buildSearchPlan({ text: '停电了', tokens: ['停电', '了'], dropStopwords: false }).map((g) => g.head)).toEqual(['停电', '了']);
  });

  it('folds jieba sub-words into the word that contains them', () => {
    const groups = buildSearchPlan({ text: '停电通知', tokens: ['停电', '电通', '通知', '停电通知'] });
    expect(groups).toHaveLength(1);
    expect(groups[0]?.head).toBe('停电通知');
    expect(groups[0]?.alternatives).toEqual([['停电通知'], ['停电'], ['电通'], ['通知']]);
  });

  it('expands a Chinese word with its synonyms, accepting either segmentation of a term', () => {
    const groups = buildSearchPlan({ text: '小区停电', tokens: ['小区', '停电'], synonyms: [OUTAGE] });
    expect(groups.map((g) => g.head)).toEqual(['小区', '停电']);
    expect(groups[1]?.alternatives).toEqual([['停电'], ['断电'], ['没电'], ['没', '电']]);
    expect(groups[1]?.sources).toContain('synonym');
    expect(toGroupsTsQuery(groups, 'and')).toBe("'小区':* & ('停电':* | '断电':* | '没电':* | ('没' & '电'))");
  });

  it('merges the words of a multi-word synonym into one idea', () => {
    const groups = buildSearchPlan({ text: 'power cut in my area', tokens: ['power', 'cut', 'in', 'my', 'area'], synonyms: [POWER] });
    expect(groups.map((g) => g.head)).toEqual(['power cut', 'area']);
    expect(groups[0]?.alternatives).toEqual([['power', 'cut'], ['outage'], ['blackout']]);
    expect(toGroupsTsQuery(groups, 'or')).toBe("(('power':* & 'cut':*) | 'outage':* | 'blackout':*) | 'area':*");
  });

  it('matches Latin synonym terms as whole words only', () => {
    expect(synonymTermInText('blackouts again', 'blackout')).toBe(false);
    expect(synonymTermInText('a blackout again', 'blackout')).toBe(true);
    expect(synonymTermInText('我家停电了', '停电')).toBe(true);
    expect(synonymTermInText('abc', '')).toBe(false);
  });

  it('adds light English stems so plurals and -ing forms match', () => {
    expect(stemLatin('bills')).toBe('bill');
    expect(stemLatin('paying')).toBe('pay');
    expect(stemLatin('batteries')).toBe('battery');
    expect(stemLatin('boxes')).toBe('box');
    expect(stemLatin('replaced')).toBe('replac');
    expect(stemLatin('access')).toBe('access');
    expect(stemLatin('停电')).toBe('停电');
    expect(buildSearchPlan({ text: 'bills', tokens: ['bills'] })[0]?.alternatives).toEqual([['bills'], ['bill']]);
  });

  it('quotes lexemes so input cannot inject tsquery operators', () => {
    const q = toGroupsTsQuery(buildSearchPlan({ text: "it's", tokens: ["o'neil", 'a\\b', '!'], dropStopwords: false }), 'and');
    expect(q).toBe("'o''neil':* & 'a\\\\b':* & '!'");
    expect(toGroupsTsQuery([], 'and')).toBeNull();
  });

  it('matches single characters exactly, longer words as prefixes', () => {
    expect(groupTsQuery({ head: '电', alternatives: [['电']], sources: [] })).toBe("'电'");
    expect(groupTsQuery({ head: 'ab', alternatives: [['ab']], sources: [] })).toBe("'ab'");
    expect(groupTsQuery({ head: 'bill', alternatives: [['bill']], sources: [] })).toBe("'bill':*");
  });

  it('lists every token of every alternative for highlighting', () => {
    expect(highlightTerms(buildSearchPlan({ text: '停电', tokens: ['停电'], synonyms: [OUTAGE] }))).toEqual(['停电', '断电', '没电']);
  });
});

describe('vocabulary', () => {
  const vocab = { words: new Map([['电费', 50], ['交', 20], ['缴费', 30], ['罚', 2], ['违约金', 3], ['停电', 60]]), documents: 100 };

  it('splits a word no document has into the known words it is made of', () => {
    expect(splitIntoKnownWords('哪交', vocab)).toEqual(['交']);
    expect(splitIntoKnownWords('罚钱', vocab)).toEqual(['罚']);
    expect(splitIntoKnownWords('电费', vocab)).toEqual([]);
  });

  it('weighs groups by inverse document frequency and leaves unmatched groups out of AND', () => {
    const groups = applyVocabulary(buildSearchPlan({ text: '电费在哪交 违约金 火星', tokens: ['电费', '在', '哪交', '违约金', '火星'] }), vocab);
    expect(groups.map((g) => g.head)).toEqual(['电费', '哪交', '违约金', '火星']);
    expect(groups[1]?.alternatives).toEqual([['哪交'], ['交']]);
    expect(groups[1]?.sources).toContain('split');
    expect(groups[2]?.weight ?? 0).toBeGreaterThan(groups[0]?.weight ?? 0);
    expect(groups[3]?.df).toBe(0);
    expect(toGroupsTsQuery(groups, 'and')).toBe("'电费':* & ('哪交':* | '交') & '违约金':*");
  });
});

describe('typo tolerance', () => {
  it('computes edit distances and stops early', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('meter', 'meter')).toBe(0);
    expect(editDistance('electricty', 'electricity')).toBe(1);
    expect(editDistance('abc', 'abcdef', 1)).toBe(2);
    expect(editDistance('abcd', 'wxyz', 1)).toBe(2);
  });

  it('adds known words within one edit to short English queries only', () => {
    const vocab = new Set(['electricity', 'bill', 'meter', 'metre']);
    const groups = addTypoAlternatives(buildSearchPlan({ text: 'electricty bil', tokens: ['electricty', 'bil'] }), vocab);
    expect(groups[0]?.alternatives).toEqual([['electricty'], ['electricity']]);
    expect(groups[0]?.sources).toContain('typo');
    // Too short to correct, and a known word is left alone.
    expect(groups[1]?.alternatives).toEqual([['bil']]);
    expect(addTypoAlternatives(buildSearchPlan({ text: 'meter', tokens: ['meter'] }), vocab)[0]?.alternatives).toEqual([['meter']]);
    const long = buildSearchPlan({ text: 'x', tokens: ['electricty', 'payment', 'account', 'transfer'] });
    expect(addTypoAlternatives(long, vocab)[0]?.alternatives).toEqual([['electricty']]);
  });

  it('retries 3–4 character Chinese queries through their 2-character sub-words', () => {
    expect(chineseSubwordGroups('停店通知')?.map((g) => g.head)).toEqual(['停店', '店通', '通知']);
    expect(chineseSubwordGroups('交电费？')?.map((g) => g.head)).toEqual(['交电', '电费']);
    expect(chineseSubwordGroups('停电')).toBeNull();
    expect(chineseSubwordGroups('计划停电信息')).toBeNull();
    expect(chineseSubwordGroups('pay bill')).toBeNull();
  });
});

describe('highlighting', () => {
  it('escapes HTML before marking matches', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(highlightText('<b>停电</b> & 断电', ['停电', '断电'])).toBe('&lt;b&gt;<mark>停电</mark>&lt;/b&gt; &amp; <mark>断电</mark>');
    // A term that looks like an entity never matches inside one.
    expect(highlightText('a & b', ['amp'])).toBe('a &amp; b');
  });

  it('marks Latin words from their start, case-insensitively, longest first', () => {
    expect(highlightText('Billing and rebill', ['bill'])).toBe('<mark>Billing</mark> and rebill');
    expect(findMatches('停电通知', ['停电', '停电通知'])).toEqual([{ start: 0, end: 4 }]);
    expect(highlightText('nothing', [])).toBe('nothing');
  });

  it('cuts a snippet around the first match', () => {
    const text = `${'前'.repeat(100)}停电${'后'.repeat(100)}`;
    const snippet = highlightSnippet(text, ['停电'], 40);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<mark>停电</mark>');
    expect(highlightSnippet('短文本', ['无'], 40)).toBe('短文本');
  });

  it('turns markdown into plain text', () => {
    expect(markdownToPlain('# 标题\n- **粗体** [链接](http://x) `代码`\n1. 第一')).toBe('标题 粗体 链接 代码 第一');
  });
});

describe('scoring', () => {
  it('parses the text form of a weighted tsvector', () => {
    const v = parseTsVector("'停电':1A,5C 'it''s':2B 'bill':3 'x\\'y':4C");
    expect([...(v.get('停电') ?? [])].sort()).toEqual(['A', 'C']);
    expect([...(v.get("it's") ?? [])]).toEqual(['B']);
    expect([...(v.get('bill') ?? [])]).toEqual(['D']);
    expect(v.has("x'y")).toBe(true);
  });

  it('weighs a title hit above a body hit and prefers covering every idea', () => {
    const groups = buildSearchPlan({ text: '电费 缴费', tokens: ['电费', '缴费'] });
    const title = parseTsVector("'电费':1A '缴费':2A");
    const body = parseTsVector("'电费':1C '缴费':2C");
    const half = parseTsVector("'电费':1A");
    expect(groupFieldWeight(title, groups[0] as never)).toBe(1);
    expect(groupFieldWeight(parseTsVector("'电费单':1B"), groups[0] as never)).toBe(0.6);
    const s = (lexemes: ReturnType<typeof parseTsVector>, t = 'x') => scoreSearchHit({ groups, lexemes, rank: 0.1, query: '电费 缴费', title: t }).score;
    expect(s(title)).toBeGreaterThan(s(body));
    expect(s(body)).toBeGreaterThan(s(half));
  });

  it('adds a title phrase bonus and lets popularity only break ties', () => {
    const groups = buildSearchPlan({ text: '电费', tokens: ['电费'] });
    const lexemes = parseTsVector("'电费':1A");
    const base = scoreSearchHit({ groups, lexemes, rank: 0.2, query: '电费', title: '其他' });
    const phrase = scoreSearchHit({ groups, lexemes, rank: 0.2, query: '电费', title: '电费怎么交' });
    expect(phrase.parts.titlePhrase).toBe(1);
    expect(phrase.score - base.score).toBeCloseTo(0.6);
    const popular = scoreSearchHit({ groups, lexemes, rank: 0.2, query: '电费', title: '其他', helpfulYes: 1000, usedInReply: 500 });
    expect(popular.score).toBeGreaterThan(base.score);
    expect(popular.score - base.score).toBeLessThanOrEqual(0.05);
    expect(scoreSearchHit({ groups: [], lexemes, rank: 0, query: '', title: '' }).score).toBe(0);
  });
});

describe('pinyin initials', () => {
  it('recognises initials queries and matches them case-insensitively', () => {
    expect(isPinyinInitialsQuery('whY')).toBe(true);
    expect(isPinyinInitialsQuery('wh y')).toBe(false);
    expect(isPinyinInitialsQuery('问候')).toBe(false);
    expect(pinyinInitialsMatch('whY', 'why')).toBe(1);
    expect(pinyinInitialsMatch('whYy', 'WHY')).toBe(0.8);
    expect(pinyinInitialsMatch('xwhY', 'why')).toBe(0.5);
    expect(pinyinInitialsMatch('abc', 'why')).toBe(0);
    expect(pinyinInitialsMatch('', 'why')).toBe(0);
  });
});
