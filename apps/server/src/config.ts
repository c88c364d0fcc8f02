import path from 'node:path';
import { z } from 'zod';

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  KEFU_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  KEFU_ADMIN_PASSWORD: z.string().min(1).optional(),
  KEFU_SESSION_SECRET: z.string().min(1).optional(),
  KEFU_SEED: z.enum(['demo', 'none']).default('demo'),
  KEFU_PUBLIC_URL: z.string().url().optional(),
  KEFU_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  adminPassword: string | undefined;
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  seed: 'demo' | 'none';
  publicUrl: string | undefined;
  sessionTtlHours: number;
  logLevel: string;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A session secret is strong when long and not a single repeated character. */
export function isStrongSecret(secret: string): boolean {
  return secret.length >= 32 && new Set(secret).size >= 10;
}

/**
 * Parses the environment once. In production a missing or weak session secret is fatal; in
 * development a stable secret is derived from the data directory so sessions survive restarts.
 */
export function loadConfig(env: NodeJS.ProcessEnv, readSecretFile: (dataDir: string) => string): Config {
  // An empty variable (FOO= in a compose file) means "not set", not "set to nothing".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = ZEnv.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  let sessionSecret = e.KEFU_SESSION_SECRET;
  let generated = false;
  if (e.NODE_ENV === 'production') {
    if (!sessionSecret) problems.push('KEFU_SESSION_SECRET: required in production');
    else if (!isStrongSecret(sessionSecret)) problems.push('KEFU_SESSION_SECRET: too weak (32+ varied characters)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(e.KEFU_DATA_DIR);
  if (!sessionSecret) {
    sessionSecret = readSecretFile(dataDir);
    generated = true;
  }
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    adminPassword: e.KEFU_ADMIN_PASSWORD,
    sessionSecret,
    sessionSecretGenerated: generated,
    seed: e.KEFU_SEED,
    publicUrl: e.KEFU_PUBLIC_URL,
    sessionTtlHours: e.KEFU_SESSION_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
  });
}
