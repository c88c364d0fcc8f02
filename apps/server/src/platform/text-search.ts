import { type RawBuilder, sql } from 'kysely';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';

// One shared segmenter: loading the dictionary takes ~0.3 s.
let jieba: Jieba | undefined;
function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const SEPARATORS = /[\s,，。.;；:：!！?？、()（）[\]【】"'“”‘’<>《》/\\|&*:~^@#-]+/u;
const HAN = /\p{Script=Han}/u;

/**
 * Splits text into search tokens: jieba's search mode for Chinese (so 报修 and 故障报修 both match);
 * queries match tokens as prefixes, so a partial name (张) still finds 张伟.
 */
export function tokenize(text: string): string[] {
  const tokens = new Set<string>();
  for (const chunk of text.toLowerCase().split(SEPARATORS)) {
    if (!chunk) continue;
    if (!HAN.test(chunk)) {
      tokens.add(chunk);
      continue;
    }
    for (const word of getJieba().cutForSearch(chunk, true)) {
      const w = word.trim();
      if (w && !SEPARATORS.test(w)) tokens.add(w);
    }
  }
  return [...tokens];
}

/** The space-joined token string stored through `to_tsvector('simple', …)`. */
export function toSearchDocument(parts: readonly (string | null | undefined)[]): string {
  return tokenize(parts.filter(Boolean).join(' ')).join(' ');
}

/**
 * Builds a `to_tsquery('simple', …)` expression where every query token must match as a prefix.
 * Tokens are quoted so user input can never inject tsquery operators.
 */
export function toPrefixQuery(query: string): string | null {
  const tokens = tokenize(query);
  if (tokens.length === 0) return null;
  return tokens.map((t) => `'${t.replaceAll("'", "''").replaceAll('\\', '\\\\')}':*`).join(' & ');
}

/**
 * A weighted search vector for knowledge rows: title tokens weigh A, tags and summary B, body C,
 * so `ts_rank` prefers a title hit. Built from jieba tokens like every search column.
 */
export function weightedSearchVector(parts: { a: readonly (string | null | undefined)[]; b?: readonly (string | null | undefined)[]; c?: readonly (string | null | undefined)[] }): RawBuilder<string> {
  return sql<string>`setweight(to_tsvector('simple', ${toSearchDocument(parts.a)}), 'A') || setweight(to_tsvector('simple', ${toSearchDocument(parts.b ?? [])}), 'B') || setweight(to_tsvector('simple', ${toSearchDocument(parts.c ?? [])}), 'C')`;
}
