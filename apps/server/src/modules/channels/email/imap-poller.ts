import { ImapFlow } from 'imapflow';

// Polls an existing IMAP mailbox (imapflow). Messages are taken in UID order, in batches; each raw
// message goes to `onMail`, and only after it succeeded is the import recorded, the message marked
// \Seen and the cursor (UIDVALIDITY + last UID) advanced. If the process dies in between, the next
// run hands the message again: `onMail` must be idempotent on Message-ID (the pipeline's externalId)
// and the store refuses a second import of (mailbox, UIDVALIDITY, UID). A changed UIDVALIDITY resets
// the cursor (the server renumbered the mailbox); Message-ID dedupe keeps that from importing twice.

export type ImapCursor = { uidValidity: string; lastUid: number };
export type ImapSource = { mailboxKey: string; uidValidity: string; uid: number };

/** Persistent poller state; the lead implements it in the database, `createMemoryImapStore` is for tests. */
export type ImapStore = {
  loadCursor(mailboxKey: string): Promise<ImapCursor | null>;
  saveCursor(mailboxKey: string, cursor: ImapCursor): Promise<void>;
  isImported(source: ImapSource): Promise<boolean>;
  /** Records the import; unique on (mailboxKey, uidValidity, uid). Ideally in the transaction of the import itself. */
  recordImport(source: ImapSource, messageId: string | null): Promise<void>;
};

export function createMemoryImapStore(): ImapStore & { imports: Map<string, string | null>; cursors: Map<string, ImapCursor> } {
  const cursors = new Map<string, ImapCursor>();
  const imports = new Map<string, string | null>();
  const key = (s: ImapSource) => `${s.mailboxKey}|${s.uidValidity}|${s.uid}`;
  return {
    cursors,
    imports,
    loadCursor: async (k) => cursors.get(k) ?? null,
    saveCursor: async (k, c) => void cursors.set(k, { ...c }),
    isImported: async (s) => imports.has(key(s)),
    recordImport: async (s, messageId) => {
      if (imports.has(key(s))) throw new Error(`duplicate import ${key(s)}`);
      imports.set(key(s), messageId);
    },
  };
}

export type ImapPollerOptions = {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox?: string;
  /** Key of the mailbox in the store, e.g. `${channelId}:${user}@${host}/${mailbox}`. */
  mailboxKey: string;
  batchSize?: number;
  pollMs?: number;
  /** Only unseen messages are imported (messages someone already read in the mailbox are skipped). */
  onlyUnseen?: boolean;
  store: ImapStore;
  onMail: (raw: Buffer, source: ImapSource) => Promise<void>;
  log?: { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };
  /** Backoff after failures: base * 2^n up to max (ms). */
  backoff?: { baseMs: number; maxMs: number };
  /** TLS options (e.g. rejectUnauthorized) for test servers. */
  tls?: Record<string, unknown>;
};

export type PollResult = { imported: number; skipped: number; uidValidity: string };

export type ImapPoller = {
  /** One cycle: connect, import every new message batch by batch, log out. */
  pollOnce(): Promise<PollResult>;
  start(): void;
  stop(): Promise<void>;
  /** Consecutive failures so far (health). */
  readonly failures: number;
  readonly lastError: string | null;
};

const MESSAGE_ID_HEADER = /^message-id:[ \t]*(<[^<>\s]+>)/im;

function messageIdOf(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024)).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  return MESSAGE_ID_HEADER.exec(head)?.[1] ?? null;
}

export function createImapPoller(options: ImapPollerOptions): ImapPoller {
  const mailbox = options.mailbox ?? 'INBOX';
  const batchSize = options.batchSize ?? 50;
  const backoff = options.backoff ?? { baseMs: 5_000, maxMs: 300_000 };
  let failures = 0;
  let lastError: string | null = null;
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function pollOnce(): Promise<PollResult> {
    const client = new ImapFlow({
      host: options.host,
      port: options.port,
      secure: options.secure,
      auth: { user: options.user, pass: options.password },
      logger: false,
      tls: options.tls,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 120_000,
      disableAutoIdle: true,
    });
    client.on('error', (err: unknown) => options.log?.warn({ err }, 'email: IMAP connection error'));
    await client.connect();
    let imported = 0;
    let skipped = 0;
    try {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const box = client.mailbox;
        if (!box) throw new Error(`mailbox ${mailbox} not open`);
        const uidValidity = String(box.uidValidity);
        const saved = await options.store.loadCursor(options.mailboxKey);
        let cursor: ImapCursor = saved && saved.uidValidity === uidValidity ? saved : { uidValidity, lastUid: 0 };
        for (;;) {
          const found: number[] | false | undefined = await client.search({ uid: `${cursor.lastUid + 1}:*`, ...(options.onlyUnseen === false ? {} : { seen: false }) }, { uid: true });
          // "n:*" also matches the highest UID when it is below n: keep only new ones
          const uids: number[] = (found || []).filter((u) => u > cursor.lastUid).sort((a, b) => a - b).slice(0, batchSize);
          if (uids.length === 0) break;
          for (const uid of uids) {
            const source: ImapSource = { mailboxKey: options.mailboxKey, uidValidity, uid };
            if (await options.store.isImported(source)) {
              skipped++;
            } else {
              const msg = await client.fetchOne(String(uid), { source: true, uid: true }, { uid: true });
              if (msg !== false && msg.source) {
                await options.onMail(msg.source, source);
                await options.store.recordImport(source, messageIdOf(msg.source));
                imported++;
              } else skipped++; // expunged meanwhile
            }
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            cursor = { uidValidity, lastUid: uid };
            await options.store.saveCursor(options.mailboxKey, cursor);
          }
        }
        return { imported, skipped, uidValidity };
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = pollOnce().then(
        () => {
          failures = 0;
          lastError = null;
          schedule(options.pollMs ?? 60_000);
        },
        (err: unknown) => {
          failures++;
          lastError = err instanceof Error ? err.message : String(err);
          options.log?.warn({ err, failures }, 'email: IMAP poll failed; retrying with backoff');
          schedule(Math.min(backoff.maxMs, backoff.baseMs * 2 ** (failures - 1)));
        },
      );
    }, ms);
  }

  return {
    pollOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    get failures() {
      return failures;
    },
    get lastError() {
      return lastError;
    },
  };
}
