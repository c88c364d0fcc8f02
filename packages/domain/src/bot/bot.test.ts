import { describe, expect, it } from 'vitest';
import { type BotHit, type BotState, computeConfidence, decideBotTurn, initialBotState, rerankHits, turnKindOf } from './decide.ts';
import type { BotFlowContext } from './flows.ts';
import { detectFeedback, detectFlow, detectYesNo, isHumanRequest, pickOption } from './intents.ts';
import { scoreSentiment } from './sentiment.ts';
import { detectLanguage, normalizeQuestion, questionTokens, tokenOverlap } from './text.ts';

const EMPTY: BotFlowContext = { customer: null, areas: [], incidents: [], openOrders: [] };
const AREAS = [
  { id: 'a1', name: '城中区', district: '西宁市' },
  { id: 'a2', name: '城东区', district: '西宁市' },
];
const OUTAGE: BotHit = { id: 'art-outage', title: '家中停电怎么办', summary: '先检查家中空开是否跳闸，再看邻居家是否有电；整片停电请查询停电信息或报修。', score: 2.0 };
const BILL: BotHit = { id: 'art-bill', title: '如何缴纳电费', summary: '可通过网上国网App、微信、银行代扣或营业厅缴费。', score: 1.6 };
const BILL_EN: BotHit = { id: 'art-bill-en', title: 'How to pay your bill', summary: 'Pay in the app, on WeChat, by bank debit or at a service hall.', score: 2.0 };

function turn(text: string, hits: BotHit[], state: BotState | null = null, context: BotFlowContext = EMPTY) {
  return decideBotTurn({ text, hits, state, context, helpCenterPath: '/help/ch1' });
}

describe('text helpers', () => {
  it('guesses the language from the letters', () => {
    expect(detectLanguage('停电了怎么办')).toBe('zh-CN');
    expect(detectLanguage('How do I pay my bill?')).toBe('en-US');
    expect(detectLanguage('123', 'en-US')).toBe('en-US');
  });
  it('normalises questions for the unanswered list', () => {
    expect(normalizeQuestion('  停电了 怎么办啊？？ ')).toBe('停电了怎么办');
    expect(normalizeQuestion('How  do I PAY, my bill?')).toBe('how do i pay my bill');
    expect(normalizeQuestion('ＡＢＣ１２３')).toBe('abc123');
  });
  it('makes bigram tokens for Chinese and words for English', () => {
    expect(questionTokens('停电了')).toEqual(['停电', '电了']);
    expect(questionTokens('How do I pay my bills')).toEqual(['pay', 'bill']);
  });
  it('measures the overlap of two questions', () => {
    expect(tokenOverlap('停电了怎么办', '停电了怎么办？')).toBe(1);
    expect(tokenOverlap('我家停电了怎么办', '停电了怎么办')).toBeGreaterThan(0.65);
    expect(tokenOverlap('电费怎么交', '电费怎么查')).toBeLessThan(0.65);
    expect(tokenOverlap('how to pay my bill', 'How do I pay the bill?')).toBe(1);
    expect(tokenOverlap('', 'x')).toBe(0);
  });
});

describe('sentiment', () => {
  it('scores angry Chinese messages as negative', () => {
    expect(scoreSentiment('我要投诉你们').negative).toBe(true);
    expect(scoreSentiment('什么破服务，气死我了').score).toBeGreaterThanOrEqual(6);
    expect(scoreSentiment('再不来电我就打12345').hits).toEqual(['打12345']);
    expect(scoreSentiment('太差了！！！').negative).toBe(true);
  });
  it('keeps calm or negated messages neutral', () => {
    expect(scoreSentiment('停电了怎么办').score).toBe(0);
    expect(scoreSentiment('我不是投诉，只是问问').negative).toBe(false);
    expect(scoreSentiment('服务不太差').negative).toBe(false);
    expect(scoreSentiment('没用').negative).toBe(false);
  });
  it('scores English the same way, negation aware', () => {
    expect(scoreSentiment('This is the worst service, total rubbish').negative).toBe(true);
    expect(scoreSentiment('I want to file a complaint').negative).toBe(true);
    expect(scoreSentiment("It's not terrible, just slow").score).toBe(0);
    expect(scoreSentiment('WHY IS THERE NO POWER!!!').negative).toBe(true);
  });
});

describe('intents', () => {
  it('recognises requests for a person in both languages', () => {
    for (const t of ['转人工', '人工', '我要人工客服', '找真人', 'human', 'Talk to a person', 'I want an agent']) expect(isHumanRequest(t), t).toBe(true);
    for (const t of ['客服电话是多少', '停电了怎么办', 'How do I pay?']) expect(isHumanRequest(t), t).toBe(false);
  });
  it('tells flows from questions', () => {
    expect(detectFlow('停电查询')).toBe('outage');
    expect(detectFlow('查一下我家停电')).toBe('outage');
    expect(detectFlow('停电了怎么办')).toBeNull();
    expect(detectFlow('查询我的工单')).toBe('my_orders');
    expect(detectFlow('What is my order status?')).toBe('my_orders');
    expect(detectFlow('我要报修')).toBe('repair');
    expect(detectFlow('报修')).toBe('repair');
    expect(detectFlow('Report a fault')).toBe('repair');
    expect(detectFlow('Outage notice')).toBe('outage');
  });
  it('reads feedback, yes/no and option picks', () => {
    expect(detectFeedback('有帮助')).toBe('helpful');
    expect(detectFeedback('谢谢！')).toBe('helpful');
    expect(detectFeedback('Not helpful')).toBe('unhelpful');
    expect(detectFeedback('谢谢，那电费呢')).toBeNull();
    expect(detectYesNo('是的')).toBe('yes');
    expect(detectYesNo('不对')).toBe('no');
    expect(detectYesNo('Yes')).toBe('yes');
    expect(detectYesNo('明天上午')).toBeNull();
    expect(pickOption('2', ['a', 'b'])).toBe(1);
    expect(pickOption('第一个', ['a', 'b'])).toBe(0);
    expect(pickOption('如何缴纳电费', ['家中停电怎么办', '如何缴纳电费'])).toBe(1);
    expect(pickOption('3', ['a', 'b'])).toBeNull();
  });
});

describe('confidence', () => {
  it('re-ranks hits by how much of the question the title says', () => {
    const hits = rerankHits('停电了怎么办', [
      { id: 'self-check', title: '停电后如何自查', summary: '', score: 2.03 },
      { id: 'repair', title: '家里突然停电了怎么报修', summary: '', score: 2.02 },
    ]);
    expect(hits.map((h) => h.id)).toEqual(['repair', 'self-check']);
    expect(hits[0]?.score).toBe(2.98);
  });
  it('is high for a strong hit far ahead and halves for a tie', () => {
    const alone = computeConfidence([{ score: 4.5 }]);
    expect(alone).toEqual({ confidence: 0.75, strength: 0.75, gap: 1 });
    const tie = computeConfidence([{ score: 4.5 }, { score: 4.5 }]);
    expect(tie.confidence).toBe(0.45);
    expect(computeConfidence([]).confidence).toBe(0);
    expect(computeConfidence([{ score: 0.02 }]).confidence).toBeLessThan(0.2);
  });
});

describe('decideBotTurn', () => {
  it('answers a confident Chinese question with the summary and a help-center link', () => {
    const r = turn('停电了怎么办', [OUTAGE, { ...BILL, score: 0.6 }]);
    expect(r.decision).toMatchObject({ kind: 'answer', articleId: 'art-outage' });
    expect(r.reply).toContain(OUTAGE.summary);
    expect(r.reply).toContain('/help/ch1/articles/art-outage');
    expect(r.askFeedback).toBe(true);
    expect(r.state.lastAnswer).toEqual({ articleId: 'art-outage', question: '停电了怎么办' });
    expect(turnKindOf(r.decision)).toBe('answer');
  });

  it('answers in English for an English question', () => {
    const r = turn('How can I pay my electricity bill?', [BILL_EN]);
    expect(r.language).toBe('en-US');
    expect(r.reply).toContain('Details: /help/ch1/articles/art-bill-en');
  });

  it('asks a clarifying question when two answers compete, then answers the pick', () => {
    const r = turn('电', [OUTAGE, { ...BILL, score: 1.9 }]);
    expect(r.decision.kind).toBe('clarify');
    expect(r.reply).toMatch(/^您想问的是：1\. 家中停电怎么办；2\. 如何缴纳电费/);
    expect(r.options).toEqual(['家中停电怎么办', '如何缴纳电费']);
    const picked = turn('2', [], r.state);
    expect(picked.decision).toMatchObject({ kind: 'answer', articleId: 'art-bill', confidence: 1, chosen: true });
  });

  it('falls back when unsure and hands off after two fallbacks in a row', () => {
    const first = turn('火星上有电吗', [{ ...BILL, score: 0.01 }]);
    expect(first.decision).toMatchObject({ kind: 'fallback', normalized: '火星上有电' });
    expect(first.reply).toContain('没听懂');
    expect(first.options).toContain('转人工');
    const second = turn('月亮电费多少', [], first.state);
    expect(second.decision).toMatchObject({ kind: 'handoff', reason: 'low_confidence_repeated', normalized: '月亮电费多少' });
  });

  it('hands off when the customer repeats the answered question', () => {
    const a = turn('停电了怎么办', [OUTAGE]);
    const again = turn('停电了怎么办？？', [OUTAGE], a.state);
    expect(again.decision).toMatchObject({ kind: 'handoff', reason: 'repeated_question', detail: 'art-outage' });
    // A different question after an answer is just answered.
    const other = turn('电费怎么交', [BILL], a.state);
    expect(other.decision.kind).toBe('answer');
  });

  it('hands off on request or anger at any time, even inside a flow', () => {
    expect(turn('转人工', [OUTAGE]).decision).toMatchObject({ kind: 'handoff', reason: 'customer_asked' });
    const inFlow = turn('我要报修', [], null, { ...EMPTY, customer: { id: 'c1', name: '张三', verified: false, areaId: null, areaName: null, address: null, phone: null } });
    expect(inFlow.state.flow?.flow).toBe('repair');
    expect(turn('human please', [], inFlow.state).decision).toMatchObject({ kind: 'handoff', reason: 'customer_asked' });
    expect(turn('什么破服务，我要投诉！！！', [OUTAGE]).decision).toMatchObject({ kind: 'handoff', reason: 'negative_sentiment' });
    expect(turn('This is useless rubbish', []).reply).toContain('Connecting you');
  });

  it('resolves on thanks and apologises on "没帮助"', () => {
    const a = turn('停电了怎么办', [OUTAGE]);
    expect(turn('有帮助', [], a.state).decision).toEqual({ kind: 'feedback', helpful: true, articleId: 'art-outage' });
    const no = turn('没帮助', [], a.state);
    expect(no.decision).toEqual({ kind: 'feedback', helpful: false, articleId: 'art-outage' });
    expect(no.options).toEqual(['转人工']);
  });

  it('greets with the self-service menu', () => {
    const r = turn('你好', []);
    expect(r.decision.kind).toBe('greeting');
    expect(r.options).toEqual(['停电查询', '查询我的工单', '报修']);
    expect(turn('hello', []).options).toEqual(['Outage notice', 'My work orders', 'Report a fault']);
  });
});

describe('flows', () => {
  const incidents = [{ number: 'SJ20261127001', title: '南大街10kV线路故障', areaIds: ['a1'], expectedRestoreAt: new Date('2026-11-27T10:30:00Z') }];
  const verified = { id: 'c1', name: '张三', verified: true, areaId: 'a1', areaName: '城中区', address: '西宁市城中区南大街1号', phone: '13900000001' };

  it('outage: answers for the customer area at once, or asks for the district', () => {
    const known = turn('停电查询', [], null, { ...EMPTY, customer: verified, areas: AREAS, incidents });
    expect(known.decision).toMatchObject({ kind: 'flow', flow: 'outage', done: true });
    expect(known.reply).toContain('南大街10kV线路故障（SJ20261127001，预计11-27 18:30恢复）');
    const ask = turn('停电查询', [], null, { ...EMPTY, areas: AREAS, incidents });
    expect(ask.reply).toContain('请告诉我您所在的区县');
    expect(ask.options).toEqual(['城中区', '城东区']);
    const none = turn('城东区', [], ask.state, { ...EMPTY, areas: AREAS, incidents });
    expect(none.reply).toBe('城东区目前没有故障停电信息。如果您家中停电，可能是户内故障，可以说“报修”在线报修。');
    const wrong = turn('火星', [], ask.state, { ...EMPTY, areas: AREAS, incidents });
    expect(wrong.reply).toContain('没有找到这个区县');
    expect(turn('月球', [], wrong.state, { ...EMPTY, areas: AREAS }).decision).toMatchObject({ kind: 'handoff', reason: 'flow_needs_person' });
  });

  it('outage in English', () => {
    const r = turn('Outage notice', [], null, { ...EMPTY, customer: verified, areas: AREAS, incidents });
    expect(r.reply).toMatch(/^Current outages in 城中区: 南大街10kV线路故障 \(SJ20261127001/);
  });

  it('my orders: only for a verified customer', () => {
    const anon = turn('查询我的工单', [], null, EMPTY);
    expect(anon.reply).toContain('需要先确认您的身份');
    const unverified = turn('查询我的工单', [], null, { ...EMPTY, customer: { ...verified, verified: false }, openOrders: [{ number: 'GD1', statusLabel: '已派工', categoryName: '故障报修' }] });
    expect(unverified.reply).not.toContain('GD1');
    const mine = turn('查询我的工单', [], null, { ...EMPTY, customer: verified, openOrders: [{ number: 'GD1', statusLabel: '已派工', categoryName: '故障报修' }] });
    expect(mine.reply).toBe('张三，您有 1 个处理中的工单：GD1 故障报修：已派工');
    expect(turn('my orders', [], null, { ...EMPTY, customer: verified }).reply).toBe('张三, you have no open work orders.');
  });

  it('repair: confirms the archive address, collects the rest and asks to confirm', () => {
    const ctx = { ...EMPTY, customer: verified };
    let r = turn('我要报修', [], null, ctx);
    expect(r.reply).toBe('您要报修的地址是：西宁市城中区南大街1号，对吗？');
    expect(r.options).toEqual(['是', '否']);
    r = turn('是', [], r.state, ctx);
    expect(r.reply).toContain('请简单描述故障情况');
    r = turn('家里全部停电了', [], r.state, ctx);
    expect(r.options).toEqual(['13900000001']);
    r = turn('12', [], r.state, ctx);
    expect(r.reply).toContain('电话号码好像不对');
    r = turn('139 0000 0001', [], r.state, ctx);
    expect(r.reply).toBe('请确认报修信息——地址：西宁市城中区南大街1号；故障：家里全部停电了；电话：13900000001。确认提交吗？');
    r = turn('确认', [], r.state, ctx);
    expect(r.decision).toEqual({
      kind: 'flow',
      flow: 'repair',
      done: true,
      effect: { type: 'create_repair_order', customerId: 'c1', address: '西宁市城中区南大街1号', description: '家里全部停电了', phone: '13900000001' },
    });
    expect(r.state.flow).toBeNull();
  });

  it('repair: asks for the address when the archive one is wrong or unknown, and can be cancelled', () => {
    const ctx = { ...EMPTY, customer: verified };
    let r = turn('报修', [], null, ctx);
    r = turn('不是', [], r.state, ctx);
    expect(r.reply).toBe('请告诉我需要报修的详细地址。');
    r = turn('西宁市城东区八一路5号', [], r.state, ctx);
    expect(r.reply).toContain('请简单描述故障情况');
    expect(turn('取消', [], r.state, ctx).reply).toBe('好的，已取消。还有其他问题可以继续问我。');
    // An unverified visitor is never shown the archive address.
    const unverified = turn('报修', [], null, { ...EMPTY, customer: { ...verified, verified: false } });
    expect(unverified.reply).toBe('请告诉我需要报修的详细地址。');
    // No linked customer: a person files it.
    expect(turn('我要报修', [], null, EMPTY).decision).toMatchObject({ kind: 'handoff', reason: 'flow_needs_person' });
  });

  it('repair in English', () => {
    const ctx = { ...EMPTY, customer: verified };
    let r = turn('Report a fault', [], null, ctx);
    expect(r.reply).toBe('Is the address to repair 西宁市城中区南大街1号?');
    r = turn('yes', [], r.state, ctx);
    r = turn('The meter is smoking', [], r.state, ctx);
    r = turn('13900000001', [], r.state, ctx);
    expect(r.reply).toMatch(/^Please confirm — address: .*; problem: The meter is smoking; phone: 13900000001\. Submit\?$/);
    expect(turn('no', [], r.state, ctx).reply).toBe('OK, cancelled. Ask me anything else.');
  });

  it('starts from a fresh state with the hinted language', () => {
    expect(initialBotState('en-US')).toMatchObject({ language: 'en-US', questions: [], consecutiveFallbacks: 0 });
  });
});
