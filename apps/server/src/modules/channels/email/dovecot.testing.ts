import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

// Test helper: a private Dovecot IMAP server (Debian's /usr/sbin/dovecot) on 127.0.0.1 and a free
// high port, plain-text passwords from a passwd-file, maildir in a temp directory, no SSL, in the
// foreground (-F) with its own base_dir. As root (CI), Dovecot refuses to run login processes as
// root: the Debian users dovecot/dovenull take those roles and own the mail directory.

export const DOVECOT_BINARY = '/usr/sbin/dovecot';
export const dovecotAvailable = existsSync(DOVECOT_BINARY);

export type Dovecot = { host: string; port: number; user: string; password: string; dir: string; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function systemUser(name: string): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('data', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-dovecot-'));
  const port = await freePort();
  const me = userInfo();
  const root = me.uid === 0;
  const mailOwner = root ? (systemUser('dovecot') ?? { uid: 65534, gid: 65534 }) : { uid: me.uid, gid: me.gid };
  const internalUser = root ? 'dovecot' : me.username;
  const loginUser = root ? (systemUser('dovenull') ? 'dovenull' : 'nobody') : me.username;
  chmodSync(dir, 0o755); // mkdtemp makes it 0700; Dovecot's unprivileged processes must reach the passwd file
  for (const d of ['run', 'state', 'mail']) mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  if (root) chownSync(path.join(dir, 'mail'), mailOwner.uid, mailOwner.gid);
  const user = 'kefu';
  const password = 'imap-test-password';
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}:${mailOwner.uid}:${mailOwner.gid}::${dir}/mail/${user}\n`);
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${internalUser}
default_login_user = ${loginUser}
first_valid_uid = ${Math.min(mailOwner.uid, 1)}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT_BINARY, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  const log = () => (existsSync(path.join(dir, 'dovecot.log')) ? readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '');
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}: ${log()}`);
    if (await canConnect(port)) break;
    if (i === 99) throw new Error(`dovecot did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
