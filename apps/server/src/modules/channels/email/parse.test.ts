import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseEmail } from './parse.ts';
import { splitQuotedHistory } from './quoted.ts';
import { sanitizeEmailHtml } from './sanitize.ts';

/** RFC 2047 B-encoded word of `text` in `charset`, built with iconv-lite. */
function word(text: string, charset: string): string {
  return `=?${charset}?B?${iconv.encode(text, charset).toString('base64')}?=`;
}

function mail(headers: string[], body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

describe('parseEmail: Chinese charsets', () => {
  it.each([
    ['GBK', '您好，我的宽带从昨天起无法上网，朱镕基路 88 号。'],
    ['GB2312', '您好，请问我的订单什么时候发货？'],
    ['GB18030', '您好，𠮷野家的发票抬头写错了。'],
    ['Big5', '您好，請問我的訂單什麼時候出貨？'],
  ])('decodes a %s body and encoded-word headers', async (charset, text) => {
    const name = charset === 'Big5' ? '張三' : '张三';
    const subject = `咨询：${text.slice(0, 6)}`;
    const raw = mail(
      [
        `From: ${word(name, charset)} <zhangsan@example.cn>`,
        'To: service@kefu.example',
        `Subject: ${word(subject, charset)}`,
        'Message-ID: <abc@example.cn>',
        'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${charset}`,
        'Content-Transfer-Encoding: 8bit',
      ],
      iconv.encode(text, charset),
    );
    const parsed = await parseEmail(raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from).toEqual({ address: 'zhangsan@example.cn', name });
    expect(parsed.text).toBe(text);
    expect(parsed.automated).toBeNull();
  });

  it('reads a body labelled GB2312 that uses GBK-only characters (as real mail clients send)', async () => {
    const text = '朱镕基路的喆喆说：发票已收到。';
    const raw = mail(['From: a@example.cn', 'Subject: x', 'Content-Type: text/plain; charset=gb2312', 'Content-Transfer-Encoding: 8bit'], iconv.encode(text, 'gbk'));
    expect((await parseEmail(raw)).text).toBe(text);
  });

  it('decodes a base64 GBK HTML part, quoted-printable encoded words and raw 8-bit GBK headers', async () => {
    const html = iconv.encode('<p>退款<b>已到账</b>吗？</p>', 'gbk').toString('base64');
    const qp = [...iconv.encode('售后服务', 'gb2312')].map((b) => `=${b.toString(16).toUpperCase()}`).join('');
    const raw = Buffer.concat([
      Buffer.from('From: '),
      iconv.encode('李四', 'gbk'),
      Buffer.from(` <lisi@example.cn>\r\nTo: service@kefu.example\r\nSubject: =?gb2312?Q?${qp}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset="gbk"\r\nContent-Transfer-Encoding: base64\r\n\r\n${html}\r\n`),
    ]);
    const parsed = await parseEmail(raw);
    expect(parsed.subject).toBe('售后服务');
    expect(parsed.from?.name).toBe('李四');
    expect(parsed.html).toBe('<p>退款<b>已到账</b>吗？</p>');
    expect(parsed.text).toContain('退款已到账吗？');
    expect(parsed.messageId).toBeNull();
    expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parseEmail: attachments', () => {
  it('keeps attachments with names (encoded Chinese file names) and drops those over the limits', async () => {
    const part = (name: string, data: Buffer) =>
      `--b\r\nContent-Type: application/pdf; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${data.toString('base64')}\r\n`;
    const raw = mail(
      ['From: a@example.cn', 'To: service@kefu.example', 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      `--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n见附件\r\n${part(word('发票.pdf', 'gbk'), Buffer.from('%PDF-1 small'))}${part('big.pdf', Buffer.alloc(2000, 1))}${part('third.pdf', Buffer.from('x'))}${part('fourth.pdf', Buffer.from('y'))}--b--\r\n`,
    );
    const parsed = await parseEmail(raw, { maxAttachments: 2, maxAttachmentBytes: 1000 });
    expect(parsed.attachments.map((a) => [a.fileName, a.contentType, a.data.toString()])).toEqual([
      ['发票.pdf', 'application/pdf', '%PDF-1 small'],
      ['third.pdf', 'application/pdf', 'x'],
    ]);
    expect(parsed.droppedAttachments).toEqual([
      { fileName: 'big.pdf', size: 2000, reason: 'too_large' },
      { fileName: 'fourth.pdf', size: 1, reason: 'too_many' },
    ]);
    expect(parsed.visibleText).toBe('见附件');
  });
});

describe('sanitizeEmailHtml', () => {
  it('drops scripts, styles, event handlers and javascript: links; marks links nofollow', () => {
    const out = sanitizeEmailHtml(
      '<style>p{color:red}</style><script>alert(1)</script><p style="x" onclick="evil()">你好 <a href="javascript:alert(1)">点我</a> <a href="https://shop.example/o/1" onmouseover="x()">订单</a></p><iframe src="https://x"></iframe><form><input name=a></form>',
    );
    expect(out).not.toMatch(/script|alert|style|onclick|onmouseover|iframe|input|javascript/i);
    expect(out).toContain('<a href="https://shop.example/o/1" rel="noopener noreferrer nofollow" target="_blank">订单</a>');
    expect(out).toContain('你好');
  });

  it('turns remote images into links, keeps inline raster images, drops onerror and svg/javascript images', () => {
    const out = sanitizeEmailHtml(
      '<img src="https://tracker.example/p.gif" alt="logo" onerror="steal()"><img src="data:image/png;base64,iVBORw0KGgo="><img src="data:image/svg+xml;base64,PHN2Zz4="><img src="javascript:alert(1)" alt="x">',
    );
    expect(out).not.toMatch(/onerror|steal|svg|javascript|<img src="https/);
    expect(out).toContain('<a href="https://tracker.example/p.gif" rel="noopener noreferrer nofollow" target="_blank">[logo]</a>');
    expect(out).toContain('<img src="data:image/png;base64,iVBORw0KGgo="');
  });
});

describe('splitQuotedHistory', () => {
  it.each([
    ['QQ/Foxmail 写道', '好的，谢谢！\n\n在 2026年11月27日 周五 10:00，客服 <service@kefu.example> 写道：\n> 您的订单已发货。'],
    ['wrapped 写道 header', '好的，谢谢！\n\n在 2026年11月27日 周五 10:00，客服\n<service@kefu.example> 写道：\n> 您的订单已发货。'],
    ['原始邮件', '好的，谢谢！\n\n------------------ 原始邮件 ------------------\n发件人: "客服"<service@kefu.example>\n发送时间: 2026年11月27日(星期五) 上午10:00\n主题: 回复：订单\n您的订单已发货。'],
    ['-----原始邮件----- (163)', '好的，谢谢！\n-----原始邮件-----\n发件人：客服\n您的订单已发货。'],
    ['Outlook zh header block', '好的，谢谢！\n\n发件人: 客服 <service@kefu.example>\n发送时间: 2026年11月27日 10:00\n收件人: 张三\n主题: 订单\n\n您的订单已发货。'],
    ['On … wrote:', 'Thanks!\n\nOn Fri, Nov 27, 2026 at 10:00 AM Service <service@kefu.example> wrote:\n> Your order has shipped.'],
    ['Outlook From/Sent', 'Thanks!\n\n________________________________\nFrom: Service <service@kefu.example>\nSent: Friday, November 27, 2026 10:00\nTo: Zhang\nSubject: order\n\nYour order has shipped.'],
    ['-----Original Message-----', 'Thanks!\n\n-----Original Message-----\nFrom: Service\nYour order has shipped.'],
    ['trailing > block', 'Thanks!\n\n> Your order has shipped.\n>\n> Kind regards'],
  ])('splits %s', (_name, text) => {
    const { visibleText, quotedText } = splitQuotedHistory(text);
    expect(['好的，谢谢！', 'Thanks!']).toContain(visibleText);
    expect(quotedText).toMatch(/已发货|has shipped/);
  });

  it('keeps text without quotes, a plain "From:" line in the body, and interleaved answers', () => {
    expect(splitQuotedHistory('From: 北京 to 上海 的快递还没到\n请查询')).toEqual({ visibleText: 'From: 北京 to 上海 的快递还没到\n请查询', quotedText: '' });
    const interleaved = '> 请问地址？\n北京市朝阳区\n> 电话？\n13900000001';
    expect(splitQuotedHistory(interleaved).visibleText).toBe(interleaved);
  });
});

describe('parseEmail: automated mail (loop protection)', () => {
  const base = ['From: zhang@example.cn', 'To: service@kefu.example', 'Message-ID: <m1@example.cn>'];
  it.each([
    [['Auto-Submitted: auto-replied', 'Subject: Re: 订单'], 'auto-submitted:auto-replied'],
    [['Auto-Submitted: auto-generated; owner-email="x@y"', 'Subject: hi'], 'auto-submitted:auto-generated'],
    [['Precedence: bulk', 'Subject: 促销'], 'precedence:bulk'],
    [['Precedence: auto_reply', 'Subject: x'], 'precedence:auto_reply'],
    [['X-Autoreply: yes', 'Subject: x'], 'x-autoreply'],
    [['Subject: 自动回复: 您的邮件已收到'], 'auto-reply-subject'],
    [['Subject: Automatic reply: order'], 'auto-reply-subject'],
    [['List-Id: <news.example.cn>', 'Subject: 周报'], 'mailing-list'],
  ])('%j → %s', async (headers, reason) => {
    expect((await parseEmail(mail([...base, ...headers], 'body'))).automated).toBe(reason);
  });

  it('Auto-Submitted: no is a person', async () => {
    expect((await parseEmail(mail([...base, 'Auto-Submitted: no', 'Subject: 你好'], 'body'))).automated).toBeNull();
  });

  it('detects a DSN (multipart/report; delivery-status), a mailer-daemon bounce and the null envelope sender', async () => {
    const dsn = mail(
      ['From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>', 'To: service@kefu.example', 'Subject: Undelivered Mail Returned to Sender', 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="r"'],
      '--r\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.cn\r\n\r\nFinal-Recipient: rfc822; nobody@example.cn\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n',
    );
    expect((await parseEmail(dsn)).automated).toBe('dsn');
    const bounce = mail(['From: MAILER-DAEMON@mx.example.cn', 'To: service@kefu.example', 'Subject: 系统退信'], 'x');
    expect((await parseEmail(bounce)).automated).toBe('bounce:mailer-daemon');
    expect((await parseEmail(mail([...base, 'Subject: hello'], 'x'), { envelopeFrom: '' })).automated).toBe('bounce:null-sender');
  });
});
