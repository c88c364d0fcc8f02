import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, dovecotAvailable, startDovecot } from './dovecot.testing.ts';
import { createImapPoller, createMemoryImapStore, type ImapSource } from './imap-poller.ts';
import { parseEmail } from './parse.ts';

// IMAP polling against Debian's Dovecot, started here with a temporary config (see dovecot.testing.ts).

function message(n: number, subject = `订单咨询 ${n}`): Buffer {
  return Buffer.concat([
    Buffer.from(`From: =?GBK?B?${iconv.encode(`客户${n}`, 'gbk').toString('base64')}?= <c${n}@example.cn>\r\nTo: service@kefu.example\r\nSubject: =?GBK?B?${iconv.encode(subject, 'gbk').toString('base64')}?=\r\nMessage-ID: <imap-${n}@example.cn>\r\nContent-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`),
    iconv.encode(`第 ${n} 封邮件：宽带不通。`, 'gbk'),
    Buffer.from('\r\n'),
  ]);
}

describe.skipIf(!dovecotAvailable)('IMAP poller against Dovecot', () => {
  let dovecot: Dovecot;
  const connect = async () => {
    const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
    await c.connect();
    return c;
  };
  const append = async (mailbox: string, raws: Buffer[], flags: string[] = []) => {
    const c = await connect();
    try {
      if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => undefined);
      for (const r of raws) await c.append(mailbox, r, flags);
    } finally {
      await c.logout();
    }
  };
  const seenUids = async (mailbox: string) => {
    const c = await connect();
    try {
      const lock = await c.getMailboxLock(mailbox);
      try {
        return ((await c.search({ seen: true }, { uid: true })) || []).sort((a, b) => a - b);
      } finally {
        lock.release();
      }
    } finally {
      await c.logout();
    }
  };
  const poller = (mailbox: string, store: ReturnType<typeof createMemoryImapStore>, onMail: (raw: Buffer, s: ImapSource) => Promise<void>, batchSize = 2) =>
    createImapPoller({ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox, mailboxKey: `ch1:${mailbox}`, batchSize, store, onMail });

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('imports unseen messages in UID batches, decodes them, marks them \\Seen and remembers the cursor', async () => {
    await append('Batch', [message(1), message(2), message(3), message(4), message(5)]);
    await append('Batch', [message(6)], ['\\Seen']); // read by someone in the mailbox already: skipped
    const store = createMemoryImapStore();
    const subjects: string[] = [];
    const p = poller('Batch', store, async (raw) => {
      const mail = await parseEmail(raw);
      subjects.push(`${mail.from?.name}|${mail.subject}|${mail.text}`);
    });
    const first = await p.pollOnce();
    expect(first).toMatchObject({ imported: 5, skipped: 0 });
    expect(subjects).toEqual([1, 2, 3, 4, 5].map((n) => `客户${n}|订单咨询 ${n}|第 ${n} 封邮件：宽带不通。`));
    expect(await seenUids('Batch')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(store.cursors.get('ch1:Batch')).toEqual({ uidValidity: first.uidValidity, lastUid: 5 });
    expect([...store.imports.values()]).toEqual([1, 2, 3, 4, 5].map((n) => `<imap-${n}@example.cn>`));
    // nothing new: nothing imported
    expect(await p.pollOnce()).toMatchObject({ imported: 0, skipped: 0 });
    await append('Batch', [message(7)]);
    expect(await p.pollOnce()).toMatchObject({ imported: 1 });
    expect(subjects).toHaveLength(6);
  });

  it('imports each message once when the fetcher dies mid-batch and is restarted', async () => {
    await append('Crash', [1, 2, 3, 4, 5].map((n) => message(10 + n)));
    const store = createMemoryImapStore();
    // The pipeline: idempotent by Message-ID (externalId), like the real receive().
    const timeline = new Map<string, number>();
    const receive = async (raw: Buffer) => {
      const id = (await parseEmail(raw)).messageId as string;
      timeline.set(id, (timeline.get(id) ?? 0) + 1);
    };
    const handed: number[] = [];
    // First run: the process "dies" right after the pipeline stored message 13, before the import was recorded.
    const dying = poller('Crash', store, async (raw, source) => {
      handed.push(source.uid);
      await receive(raw);
      if (source.uid === 3) throw new Error('killed');
    });
    await expect(dying.pollOnce()).rejects.toThrow('killed');
    expect(store.cursors.get('ch1:Crash')?.lastUid).toBe(2);
    expect(await seenUids('Crash')).toEqual([1, 2]);
    // Second run (restart) also dies, this time right after recording message 14, before \Seen and the cursor.
    const store2 = {
      ...store,
      recordImport: async (source: ImapSource, messageId: string | null) => {
        await store.recordImport(source, messageId);
        if (source.uid === 4) throw new Error('killed again');
      },
    };
    const dyingAgain = createImapPoller({ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, mailbox: 'Crash', mailboxKey: 'ch1:Crash', batchSize: 2, store: store2, onMail: async (raw, s) => {
      handed.push(s.uid);
      await receive(raw);
    } });
    await expect(dyingAgain.pollOnce()).rejects.toThrow('killed again');
    // Third run completes.
    const healthy = poller('Crash', store, async (raw, s) => {
      handed.push(s.uid);
      await receive(raw);
    });
    expect(await healthy.pollOnce()).toMatchObject({ imported: 1, skipped: 1 });
    // message 13 was handed twice (deduped by Message-ID), 14 once (the import record stopped the repeat)
    expect(handed).toEqual([1, 2, 3, 3, 4, 5]);
    expect([...timeline.values()]).toEqual([1, 1, 2, 1, 1]);
    expect([...timeline.keys()].sort()).toEqual([11, 12, 13, 14, 15].map((n) => `<imap-${n}@example.cn>`));
    expect(store.imports.size).toBe(5);
    expect(await seenUids('Crash')).toEqual([1, 2, 3, 4, 5]);
    expect(store.cursors.get('ch1:Crash')?.lastUid).toBe(5);
  });

  it('restarts from zero on a new UIDVALIDITY, skipping what the store already imported under the old one only by Message-ID', async () => {
    await append('Renumbered', [message(31)]);
    const store = createMemoryImapStore();
    await store.saveCursor('ch1:Renumbered', { uidValidity: '1', lastUid: 99 });
    const got: number[] = [];
    expect(await poller('Renumbered', store, async (_raw, s) => void got.push(s.uid)).pollOnce()).toMatchObject({ imported: 1 });
    expect(got).toEqual([1]);
  });

  it('backs off and reports the failure when the server refuses the login', { timeout: 20_000 }, async () => {
    const p = createImapPoller({ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: 'wrong', mailboxKey: 'x', store: createMemoryImapStore(), onMail: async () => undefined, backoff: { baseMs: 10, maxMs: 50 } });
    p.start();
    // Dovecot delays failed logins by ~2 s
    for (let i = 0; i < 200 && p.failures < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await p.stop();
    expect(p.failures).toBeGreaterThanOrEqual(2);
    expect(p.lastError).toBeTruthy();
  });
});

describe.skipIf(!dovecotAvailable)('startEmailChannel (IMAP + SMTP listener as configured)', () => {
  it('polls the configured mailbox and listens on the configured port, handing mail to receive()', { timeout: 20_000 }, async () => {
    const dovecot = await startDovecot();
    const { startEmailChannel } = await import('./email.inbound.ts');
    const nodemailer = (await import('nodemailer')).default;
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => r(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const received: string[] = [];
    try {
      const c = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
      await c.connect();
      await c.append('INBOX', message(41));
      await c.logout();
      const running = await startEmailChannel(
        {
          clock: () => new Date('2026-11-27T02:00:00Z'),
          imapStore: createMemoryImapStore(),
          receive: async (m) => {
            received.push(`${m.externalId}|${m.subject}`);
            return { duplicate: false, conversationId: 'c', contactId: null, messageId: 'm', customerId: null };
          },
        },
        {
          id: 'ch-run',
          brandId: 'b1',
          type: 'email',
          name: '客服',
          enabled: true,
          config: {
            address: 'service@kefu.example',
            smtpListener: { enabled: true, host: '127.0.0.1', port },
            imap: { enabled: true, host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, mailbox: 'INBOX' },
          },
          secrets: { threadSecret: 'thread-secret-0123456789', imapPassword: dovecot.password },
        },
      );
      try {
        for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
        await nodemailer
          .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
          .sendMail({ from: 'li@example.cn', to: 'service@kefu.example', subject: '你好 hello', text: '在吗', messageId: '<smtp-1@example.cn>' });
        expect(received).toEqual(['<imap-41@example.cn>|订单咨询 41', '<smtp-1@example.cn>|你好 hello']);
        expect(running.health().ok).toBe(true);
      } finally {
        await running.stop();
      }
    } finally {
      await dovecot.stop();
    }
  });
});
