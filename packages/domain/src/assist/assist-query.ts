// Agent assist (坐席辅助): what to search for while an agent handles a conversation.
//
// The question is in what the customer wrote last, not in the greetings around it. We take the
// customer's last few messages (newest weigh most: they are searched alone first), drop
// pleasantries that match every article equally (你好, 在吗, 谢谢, hello…) and the bot's buttons
// (转人工, 有帮助), and cap the length so
// a pasted essay does not turn into a hundred-term query.

export type AssistMessage = { senderType: string; body: string; internal?: boolean; kind?: string };

/** Messages of pure courtesy: they carry no topic. Matched after trimming punctuation. */
const PLEASANTRIES = new Set([
  '你好', '您好', '你好啊', '在吗', '在不在', '有人吗', '谢谢', '谢谢你', '多谢', '好的', '好', '嗯', '嗯嗯', '哦', '行', '可以', '麻烦了', '麻烦你了',
  'hi', 'hello', 'hey', 'thanks', 'thank you', 'ok', 'okay', 'yes', 'no',
  // The widget's bot buttons and hand-off words: commands, not topics.
  '转人工', '人工', '人工客服', '转人工客服', '找人工', '真人', '有帮助', '没帮助', '没有帮助', 'human', 'agent', 'talk to a person', 'helpful', 'not helpful',
]);
const EDGE_PUNCTUATION = /^[\s,，。.!！?？~～…、]+|[\s,，。.!！?？~～…、]+$/gu;
const LEADING_GREETING = /^(你好|您好|hi|hello|hey)[\s,，!！。.]*/iu;

export const ASSIST_MAX_QUERY_CHARS = 200;
export const ASSIST_MESSAGES = 3;

function clean(text: string): string {
  return text.replace(LEADING_GREETING, '').replace(EDGE_PUNCTUATION, '').trim();
}

/**
 * The search texts for a conversation, most specific first: the newest customer message with a
 * topic, then the last few together. Empty when the customer has said nothing searchable yet.
 */
export function assistQueries(messages: readonly AssistMessage[], max = ASSIST_MESSAGES): string[] {
  const texts: string[] = [];
  for (let i = messages.length - 1; i >= 0 && texts.length < max; i--) {
    const m = messages[i];
    if (m?.senderType !== 'customer' || m.internal || (m.kind && m.kind !== 'text')) continue;
    const text = clean(m.body);
    if (!text || PLEASANTRIES.has(text.toLowerCase())) continue;
    texts.push(text);
  }
  if (texts.length === 0) return [];
  const newest = texts[0]?.slice(0, ASSIST_MAX_QUERY_CHARS) ?? '';
  const together = texts.slice().reverse().join(' ').slice(-ASSIST_MAX_QUERY_CHARS);
  return together === newest ? [newest] : [newest, together];
}

export type Scored = { id: string; score: number };

/**
 * Merges result lists of several queries: an item keeps its best score, and an item found by
 * more than one query is nudged up (it matches the conversation, not one stray message).
 */
export function mergeSuggestions<T extends Scored>(lists: readonly (readonly T[])[], limit: number): T[] {
  const best = new Map<string, { item: T; score: number; hits: number }>();
  for (const list of lists) {
    for (const item of list) {
      const seen = best.get(item.id);
      if (!seen) best.set(item.id, { item, score: item.score, hits: 1 });
      else {
        seen.hits += 1;
        if (item.score > seen.score) {
          seen.score = item.score;
          seen.item = item;
        }
      }
    }
  }
  return [...best.values()]
    .map((e) => ({ ...e, ranked: e.score * (1 + 0.25 * (e.hits - 1)) }))
    .sort((a, b) => b.ranked - a.ranked || a.item.id.localeCompare(b.item.id))
    .slice(0, limit)
    .map((e) => ({ ...e.item, score: e.ranked }));
}
