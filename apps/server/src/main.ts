import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DEMO_PASSWORD } from './demo-password.ts';
import { openConfiguredDatabase } from './platform/database.ts';
import { hashPassword } from './platform/passwords.ts';
import { CLASSIFIER_TARGETS } from './modules/classify/classify.data.ts';
import { createClassifyService } from './modules/classify/index.ts';
import { bootstrapInstallation } from './seed/bootstrap.ts';
import { deriveSecretKey } from './modules/channels/secret-box.ts';
import { DEMO_LOGINS, seedDemoCenter } from './seed/index.ts';


function readOrCreateSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, readOrCreateSecret);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const database = await openConfiguredDatabase(config);
  const generatedAdminPassword = config.adminPassword ? null : `${randomBytes(9).toString('base64url')}#7a`;
  const boot = await bootstrapInstallation(database.db, {
    adminPasswordHash: await hashPassword(config.adminPassword ?? (generatedAdminPassword as string)),
    now: new Date(),
  });
  let seeded = false;
  if (boot.created && config.seed === 'demo') {
    const started = Date.now();
    const summary = await seedDemoCenter(database.db, { demoPasswordHash: await hashPassword(DEMO_PASSWORD), now: new Date(), channelSecretKey: deriveSecretKey(config.sessionSecret) });
    seeded = true;
    // Train the contact-reason and category classifiers on the seeded history now, so the first
    // wrap-up does not wait for (and block the server with) a lazy first training.
    const classify = createClassifyService({ db: database.db, clock: () => new Date() });
    for (const target of CLASSIFIER_TARGETS) await classify.train({ actorName: 'demo seed', requestId: null, ip: null }, summary.brandId, { target });
    console.log(
      `Seeded the demo center in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.users} users, ${summary.customers} customers, ${summary.tickets} work orders, ${summary.contacts} contacts, a knowledge base and trained classifiers.`,
    );
  }

  const app = await buildApp({ config, database, logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? `http://localhost:${config.port}`;
  const lines = [
    '',
    `  Kefu 客服 is running at ${url}`,
    `  API docs: ${url}/api/docs    database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
    '',
  ];
  if (boot.created) {
    lines.push(
      generatedAdminPassword
        ? `  Administrator: admin / ${generatedAdminPassword}   (generated now and shown only once)`
        : '  Administrator: admin / the password in KEFU_ADMIN_PASSWORD',
    );
  } else lines.push('  Administrator: admin (password set at first start)');
  if (seeded || config.seed === 'demo') {
    lines.push(`  Demo logins (password ${DEMO_PASSWORD}):`);
    for (const l of DEMO_LOGINS) lines.push(`    ${l.username.padEnd(12)} ${l.displayNameZh} — ${l.descriptionEn}`);
  }
  console.log(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close(); // stops accepting, finishes in-flight requests, stops jobs
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
