import type { DB } from '@kefu/db';
import type { Kysely } from 'kysely';
import { type ImapStore, type RunningEmailChannel, startEmailChannel } from './email/index.ts';
import type { ChannelType, LoadedChannel, Receive } from './types.ts';

// Runs the inbound side of every enabled email channel in this process: its SMTP listener and/or
// IMAP poller (channels/email). `sync` starts channels that appeared or changed and stops those
// disabled or removed; the jobs runner calls it periodically, so a channel added in 渠道管理 starts
// within a minute without a restart.

/** The IMAP poller's state in the database (migration 0007). */
export function createDbImapStore(db: Kysely<DB>): ImapStore {
  return {
    async loadCursor(mailboxKey) {
      const row = await db.selectFrom('email_imap_cursors').selectAll().where('mailbox_key', '=', mailboxKey).executeTakeFirst();
      return row ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid) } : null;
    },
    async saveCursor(mailboxKey, cursor) {
      await db
        .insertInto('email_imap_cursors')
        .values({ mailbox_key: mailboxKey, uid_validity: cursor.uidValidity, last_uid: cursor.lastUid })
        .onConflict((oc) => oc.column('mailbox_key').doUpdateSet({ uid_validity: cursor.uidValidity, last_uid: cursor.lastUid, updated_at: new Date() }))
        .execute();
    },
    async isImported(s) {
      const row = await db.selectFrom('email_imap_imports').select('uid').where('mailbox_key', '=', s.mailboxKey).where('uid_validity', '=', s.uidValidity).where('uid', '=', s.uid).executeTakeFirst();
      return row !== undefined;
    },
    async recordImport(s, messageId) {
      await db
        .insertInto('email_imap_imports')
        .values({ mailbox_key: s.mailboxKey, uid_validity: s.uidValidity, uid: s.uid, message_id: messageId })
        .onConflict((oc) => oc.columns(['mailbox_key', 'uid_validity', 'uid']).doNothing())
        .execute();
    },
  };
}

export type EmailRunnerDeps = {
  db: Kysely<DB>;
  clock: () => Date;
  receive: Receive;
  loadChannel: (id: string) => Promise<LoadedChannel | null>;
  log?: { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };
};

export function createEmailRunner(deps: EmailRunnerDeps) {
  const running = new Map<string, { version: string; channel: RunningEmailChannel }>();
  const imapStore = createDbImapStore(deps.db);

  async function stopOne(id: string) {
    const r = running.get(id);
    running.delete(id);
    await r?.channel.stop().catch((err: unknown) => deps.log?.warn({ err, channelId: id }, 'stopping an email channel failed'));
  }

  return {
    /** Starts, restarts (config changed) and stops email channels to match the database. */
    async sync(): Promise<void> {
      const rows = await deps.db.selectFrom('channels').select(['id', 'enabled', 'updated_at']).where('type', '=', 'email' satisfies ChannelType).execute();
      const wanted = new Map(rows.filter((r) => r.enabled).map((r) => [r.id, r.updated_at.toISOString()]));
      for (const id of [...running.keys()]) if (running.get(id)?.version !== wanted.get(id)) await stopOne(id);
      for (const [id, version] of wanted) {
        if (running.has(id)) continue;
        const channel = await deps.loadChannel(id);
        if (!channel) continue;
        try {
          running.set(id, { version, channel: await startEmailChannel({ receive: deps.receive, clock: deps.clock, log: deps.log, imapStore }, channel) });
        } catch (err) {
          deps.log?.warn({ err, channelId: id }, 'starting an email channel failed');
        }
      }
    },
    async stop(): Promise<void> {
      for (const id of [...running.keys()]) await stopOne(id);
    },
    running: () => [...running.keys()],
  };
}
