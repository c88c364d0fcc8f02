import { describe, expect, it } from 'vitest';
import { parseEmail } from './parse.ts';
import { findOrderNumbers, outboundMessageId, readMessageIdClaim, readPlusAddress, replyAddress, resolveThread, threadToken, toInboundMessage } from './threading.ts';

const SECRET = 'thread-secret-0123456789';
const CONV = '0b7c9a52-6a1e-4c3f-9f3e-2d7f1f0c8a11';
const OTHER = '5e0d2f14-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const OWN = ['service@kefu.example'];

function raw(headers: string[], body = '好的，谢谢'): Buffer {
  return Buffer.from(`${['From: 张三 <zhang@example.cn>', 'Message-ID: <c1@example.cn>', ...headers].join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8');
}
async function resolve(headers: string[]) {
  const mail = await parseEmail(raw(headers));
  return { mail, thread: resolveThread(mail, SECRET, OWN) };
}

describe('thread tokens', () => {
  it('builds a plus reply address and a Message-ID that verify, and are stable and lower case', () => {
    const addr = replyAddress('service@kefu.example', SECRET, CONV);
    expect(addr).toMatch(/^service\+0b7c9a526a1e4c3f9f3e2d7f1f0c8a11\.[a-z2-7]{16}@kefu\.example$/);
    expect(addr.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(readPlusAddress(SECRET, addr, OWN)).toEqual({ conversationId: CONV, verified: true, via: 'plus-address' });
    // forwarders that upper-case local parts do not break it
    expect(readPlusAddress(SECRET, addr.toUpperCase(), OWN)?.verified).toBe(true);
    const mid = outboundMessageId(SECRET, 'kefu.example', CONV, 'msg-1');
    expect(mid).toMatch(/^<kefu\.0b7c9a52-6a1e-4c3f-9f3e-2d7f1f0c8a11\.msg-1\.[a-z2-7]{16}@kefu\.example>$/);
    expect(readMessageIdClaim(SECRET, mid)).toEqual({ conversationId: CONV, verified: true, via: 'references' });
    expect(threadToken(SECRET, CONV)).toBe(threadToken(SECRET, CONV.toUpperCase()));
  });

  it('does not verify a forged token, a token moved to another conversation, or another secret', () => {
    const good = threadToken(SECRET, CONV);
    const moved = `service+${OTHER.replaceAll('-', '')}.${good}@kefu.example`;
    expect(readPlusAddress(SECRET, moved, OWN)).toEqual({ conversationId: OTHER, verified: false, via: 'plus-address' });
    expect(readPlusAddress('another-secret-0123456789', replyAddress('service@kefu.example', SECRET, CONV), OWN)?.verified).toBe(false);
    const mid = outboundMessageId(SECRET, 'kefu.example', CONV, 'msg-1');
    expect(readMessageIdClaim(SECRET, mid.replace('msg-1', 'msg-2'))?.verified).toBe(false);
    // someone else's domain is not our plus address
    expect(readPlusAddress(SECRET, replyAddress('service@evil.example', SECRET, CONV), OWN)).toBeNull();
  });
});

describe('resolveThread', () => {
  it('joins through the plus address in To or Cc', async () => {
    const to = await resolve([`To: ${replyAddress('service@kefu.example', SECRET, CONV)}`, 'Subject: Re: 订单 GD20261127000123']);
    expect(to.thread).toEqual({ claimedConversationId: CONV, verified: true, via: 'plus-address', orderNumbers: ['GD20261127000123'], quarantineReason: null });
    const cc = await resolve(['To: someone@else.cn', `Cc: "客服" <${replyAddress('service@kefu.example', SECRET, CONV)}>`, 'Subject: Re: x']);
    expect(cc.thread.verified).toBe(true);
  });

  it('joins through our Message-ID in In-Reply-To or References (sent to the plain address)', async () => {
    const mid = outboundMessageId(SECRET, 'kefu.example', CONV, 'm9');
    const r = await resolve(['To: service@kefu.example', 'Subject: Re: hi', `In-Reply-To: ${mid}`, `References: <x@example.cn> ${mid}`]);
    expect(r.thread).toMatchObject({ claimedConversationId: CONV, verified: true, via: 'references', quarantineReason: null });
  });

  it('quarantines a forged token', async () => {
    const forged = `service+${CONV.replaceAll('-', '')}.aaaaaaaaaaaaaaaa@kefu.example`;
    const r = await resolve([`To: ${forged}`, 'Subject: Re: 退款']);
    expect(r.thread).toMatchObject({ claimedConversationId: CONV, verified: false, quarantineReason: 'email.thread_token_invalid' });
    const m = toInboundMessage('ch1', r.mail, r.thread, new Date('2026-11-27T02:00:00Z')).message;
    expect(m.threadRef).toBeNull();
    expect(m.quarantine).toEqual({ reason: 'email.thread_token_invalid' });
  });

  it('quarantines a reply whose only claim is in Reply-To or its own Message-ID', async () => {
    const addr = replyAddress('service@kefu.example', SECRET, CONV);
    const viaReplyTo = await resolve(['To: service@kefu.example', `Reply-To: ${addr}`, 'Subject: Re: 订单']);
    expect(viaReplyTo.thread).toMatchObject({ claimedConversationId: null, verified: false, quarantineReason: 'email.thread_unproven' });
    const ownId = outboundMessageId(SECRET, 'kefu.example', CONV, 'm1');
    const mail = await parseEmail(Buffer.from(`From: zhang@example.cn\r\nTo: service@kefu.example\r\nMessage-ID: ${ownId}\r\nSubject: Re: x\r\n\r\nhi\r\n`));
    expect(resolveThread(mail, SECRET, OWN)).toMatchObject({ verified: false, quarantineReason: 'email.thread_unproven' });
  });

  it('quarantines a reply to something we cannot verify, and two verified conversations at once', async () => {
    const r = await resolve(['To: service@kefu.example', 'Subject: Re: 订单 GD20261127000123', 'In-Reply-To: <agent-private@kefu.example>']);
    expect(r.thread).toMatchObject({ claimedConversationId: null, quarantineReason: 'email.reply_unverified', orderNumbers: ['GD20261127000123'] });
    const both = await resolve([`To: ${replyAddress('service@kefu.example', SECRET, CONV)}`, `In-Reply-To: ${outboundMessageId(SECRET, 'kefu.example', OTHER, 'm')}`]);
    expect(both.thread).toMatchObject({ verified: false, quarantineReason: 'email.thread_ambiguous' });
  });

  it('a fresh mail claims nothing and is not quarantined; maps to an InboundMessage', async () => {
    const r = await resolve(['To: service@kefu.example', 'Subject: 我要投诉 / complaint']);
    expect(r.thread).toEqual({ claimedConversationId: null, verified: false, via: null, orderNumbers: [], quarantineReason: null });
    const at = new Date('2026-11-27T02:00:00Z');
    const { message } = toInboundMessage('ch1', r.mail, r.thread, at);
    expect(message).toEqual({
      channelId: 'ch1',
      from: { kind: 'email', value: 'zhang@example.cn', name: '张三' },
      externalId: '<c1@example.cn>',
      text: '好的，谢谢',
      kind: 'text',
      attachments: [],
      subject: '我要投诉 / complaint',
      threadRef: null,
      quarantine: null,
      at,
    });
  });

  it('uses the SHA-256 of the raw mail as externalId when Message-ID is missing', async () => {
    const bytes = Buffer.from('From: a@example.cn\r\nTo: service@kefu.example\r\nSubject: x\r\n\r\nhi\r\n');
    const mail = await parseEmail(bytes);
    const { message } = toInboundMessage('ch1', mail, resolveThread(mail, SECRET, OWN), new Date());
    expect(message.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(message.externalId).toBe(toInboundMessage('ch1', await parseEmail(bytes), resolveThread(mail, SECRET, OWN), new Date()).message.externalId);
  });
});

describe('findOrderNumbers', () => {
  it('finds work-order numbers (GD + yyyymmdd + 6 digits) but not longer digit runs', () => {
    expect(findOrderNumbers('回复：工单GD20261127000123 和 GD20261128000001 进度')).toEqual(['GD20261127000123', 'GD20261128000001']);
    expect(findOrderNumbers('GD202611270001234 XGD20261127000123')).toEqual([]);
  });
});
