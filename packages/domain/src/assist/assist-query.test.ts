import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSIST_MAX_QUERY_CHARS, assistQueries, mergeSuggestions } from './assist-query.ts';

const customer = (body: string) => ({ senderType: 'customer', body });

describe('assistQueries', () => {
  it('searches the newest topical customer message first, then the last few together', () => {
    const q = assistQueries([customer('你好'), customer('我家昨晚开始没电了'), { senderType: 'agent', body: '请问您的户号是多少？' }, customer('户号是 0123456789，在城东区')]);
    expect(q).toEqual(['户号是 0123456789，在城东区', '我家昨晚开始没电了 户号是 0123456789，在城东区']);
  });

  it('ignores greetings, agent and bot messages, whispers and attachments', () => {
    expect(assistQueries([customer('您好！'), customer('在吗？？'), { senderType: 'bot', body: '请问有什么可以帮您' }, { senderType: 'agent', body: '电费', internal: true }])).toEqual([]);
    expect(assistQueries([customer('电费怎么交'), { senderType: 'customer', body: 'photo.jpg', kind: 'image' }])).toEqual(['电费怎么交']);
    expect(assistQueries([customer('Hello, how do I pay my bill?'), customer('thanks')])).toEqual(['how do I pay my bill']);
  });

  it('skips the bot buttons a customer pressed before the hand-off', () => {
    expect(assistQueries([customer('电费可以用微信交吗'), customer('有帮助'), customer('转人工')])).toEqual(['电费可以用微信交吗']);
  });

  it('strips a leading greeting but keeps the question', () => {
    expect(assistQueries([customer('你好，电表是不是坏了，走得特别快')])).toEqual(['电表是不是坏了，走得特别快']);
  });

  it('never builds a query longer than the cap', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 400 }), { maxLength: 6 }), (bodies) => {
        for (const q of assistQueries(bodies.map(customer))) expect(q.length).toBeLessThanOrEqual(ASSIST_MAX_QUERY_CHARS);
      }),
    );
  });
});

describe('mergeSuggestions', () => {
  it('keeps each item once with its best score and ranks items found by several queries higher', () => {
    const merged = mergeSuggestions(
      [
        [
          { id: 'a', score: 0.5 },
          { id: 'b', score: 0.45 },
        ],
        [
          { id: 'b', score: 0.4 },
          { id: 'c', score: 0.9 },
        ],
      ],
      5,
    );
    expect(merged.map((m) => m.id)).toEqual(['c', 'b', 'a']);
    expect(merged.find((m) => m.id === 'b')?.score).toBeCloseTo(0.45 * 1.25);
  });

  it('honours the limit', () => {
    expect(mergeSuggestions([[{ id: 'a', score: 1 }, { id: 'b', score: 2 }]], 1).map((m) => m.id)).toEqual(['b']);
  });
});
