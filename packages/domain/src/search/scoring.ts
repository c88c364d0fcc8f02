import { matchesAsPrefix, type SearchAlternative, type SearchTermGroup } from './query-plan.ts';

// Ranking of the candidates the database found. The database ranks roughly (ts_rank over the
// weighted vector) to pick the best few dozen; this blend then orders them in a way a person can
// explain: how many of the question's ideas the article covers, and where (title > tags/summary >
// body), a bonus when the title holds the question as typed, and popularity only to break ties.

/** tsvector weight labels: A title, B tags and summary, C body, D unlabelled. */
export type FieldWeight = 'A' | 'B' | 'C' | 'D';

/** Parses PostgreSQL's text form of a tsvector (`'停电':1A,3 'bill':2C`) into lexeme → weights. */
export function parseTsVector(text: string): Map<string, Set<FieldWeight>> {
  const out = new Map<string, Set<FieldWeight>>();
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") {
      i++;
      continue;
    }
    let lexeme = '';
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === "'" && text[i + 1] === "'") {
        lexeme += "'";
        i += 2;
        continue;
      }
      if (c === '\\' && i + 1 < text.length) {
        lexeme += text[i + 1];
        i += 2;
        continue;
      }
      if (c === "'") {
        i++;
        break;
      }
      lexeme += c;
      i++;
    }
    const weights = new Set<FieldWeight>();
    if (text[i] === ':') {
      i++;
      while (i < text.length && text[i] !== ' ') {
        const c = text[i] as string;
        if (c === 'A' || c === 'B' || c === 'C') weights.add(c);
        else if (/[0-9]/.test(c) && !/[0-9ABC]/.test(text[i + 1] ?? ' ')) weights.add('D');
        i++;
      }
    } else {
      weights.add('D');
    }
    const known = out.get(lexeme);
    if (known) for (const w of weights) known.add(w);
    else out.set(lexeme, weights);
  }
  return out;
}

/** How much a hit in each field counts. */
export const FIELD_WEIGHT: Record<FieldWeight, number> = { A: 1, B: 0.6, C: 0.35, D: 0.35 };

function lexemeWeights(lexemes: ReadonlyMap<string, ReadonlySet<FieldWeight>>, token: string): Set<FieldWeight> {
  const out = new Set<FieldWeight>();
  if (!matchesAsPrefix(token)) {
    for (const w of lexemes.get(token) ?? []) out.add(w);
    return out;
  }
  for (const [lexeme, ws] of lexemes) if (lexeme.startsWith(token)) for (const w of ws) out.add(w);
  return out;
}

function alternativeWeight(lexemes: ReadonlyMap<string, ReadonlySet<FieldWeight>>, alt: SearchAlternative): number {
  // Every token of the alternative must be present; it counts as much as its weakest field.
  let weight = Number.POSITIVE_INFINITY;
  for (const token of alt) {
    const ws = lexemeWeights(lexemes, token);
    if (ws.size === 0) return 0;
    weight = Math.min(weight, Math.max(...[...ws].map((w) => FIELD_WEIGHT[w])));
  }
  return Number.isFinite(weight) ? weight : 0;
}

/** The best field weight (0 when absent) at which a group of the question occurs in a document. */
export function groupFieldWeight(lexemes: ReadonlyMap<string, ReadonlySet<FieldWeight>>, group: SearchTermGroup): number {
  let best = 0;
  for (const alt of group.alternatives) best = Math.max(best, alternativeWeight(lexemes, alt));
  return best;
}

export type ScoreInput = {
  groups: readonly SearchTermGroup[];
  /** The document's tsvector, parsed. */
  lexemes: ReadonlyMap<string, ReadonlySet<FieldWeight>>;
  /** ts_rank of the document for the query, from the database (0..1). */
  rank: number;
  /** The question as typed and the document title, for the exact-phrase bonus. */
  query: string;
  title: string;
  /** Usage counters; only break ties. */
  helpfulYes?: number;
  helpfulNo?: number;
  usedInReply?: number;
  views?: number;
};

export type ScoreParts = { coverage: number; fields: number; rank: number; titlePhrase: number; popularity: number };

/** Score weights, exported so the bench and the docs show the same numbers. */
export const SCORE_WEIGHTS = { coverage: 1, fields: 1, rank: 0.5, titlePhrase: 0.6, popularity: 0.05 } as const;

function compact(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * score = coverage (share of the question's ideas found anywhere, each weighted by its IDF)
 *       + fields (weighted mean field weight of those ideas: title 1, tags/summary 0.6, body 0.35)
 *       + 0.5 × ts_rank + 0.6 when the title contains the whole question
 *       + ≤ 0.05 popularity (helpful votes and use in replies), a tie-breaker only.
 */
export function scoreSearchHit(input: ScoreInput): { score: number; parts: ScoreParts } {
  // Each idea counts by its weight (inverse document frequency when known): a rare word decides more.
  let total = 0;
  let found = 0;
  let fieldSum = 0;
  for (const g of input.groups) {
    const weight = g.weight ?? 1;
    const w = groupFieldWeight(input.lexemes, g);
    total += weight;
    if (w > 0) found += weight;
    fieldSum += w * weight;
  }
  const coverage = total === 0 ? 0 : found / total;
  const fields = total === 0 ? 0 : fieldSum / total;
  const q = compact(input.query);
  const titlePhrase = q.length >= 2 && compact(input.title).includes(q) ? 1 : 0;
  const good = Math.max(0, (input.helpfulYes ?? 0) - (input.helpfulNo ?? 0)) + (input.usedInReply ?? 0) + (input.views ?? 0) / 20;
  const popularity = 1 - 1 / (1 + Math.log1p(good));
  const parts: ScoreParts = { coverage, fields, rank: Math.min(1, input.rank), titlePhrase, popularity };
  const score =
    SCORE_WEIGHTS.coverage * parts.coverage +
    SCORE_WEIGHTS.fields * parts.fields +
    SCORE_WEIGHTS.rank * parts.rank +
    SCORE_WEIGHTS.titlePhrase * parts.titlePhrase +
    SCORE_WEIGHTS.popularity * parts.popularity;
  return { score: Math.round(score * 10000) / 10000, parts };
}
