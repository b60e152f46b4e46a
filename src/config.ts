import { z } from 'zod';

/** The default pillars: the four areas of cooperation of the May 2017 declaration. */
export const DEFAULT_PILLARS = ['platform-for-plans', 'single-node', 'frontline-access', 'architecture-and-standards'];

const csv = (fallback: string[]) =>
  z
    .string()
    .optional()
    .transform((value) =>
      value === undefined || value.trim() === ''
        ? fallback
        : value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== ''),
    );

const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default('./data/dialogue.sqlite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** FULL is the durable default; anything else must be asked for explicitly. */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL', 'EXTRA']).default('FULL'),
  BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** WAL pages after which a commit checkpoints the log into the database file (see database.ts). */
  SQLITE_WAL_AUTOCHECKPOINT: z.coerce.number().int().min(1).default(10_000),
  PILLARS: csv(DEFAULT_PILLARS),
  /** Origins allowed to open websockets; empty means "same host as the request". */
  ALLOWED_ORIGINS: csv([]),
  SIGNING_KEY_FILE: z.string().optional(),
  CHECKPOINT_DIR: z.string().optional(),
  CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(1).default(1000),
  CHECKPOINT_EVERY_MINUTES: z.coerce.number().min(0).default(10),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  /** Failed authentications one address may make per rate-limit window before it gets 429s. */
  AUTH_FAILURES_MAX: z.coerce.number().int().min(1).default(60),
  WS_MAX_CONNECTIONS_PER_TOKEN: z.coerce.number().int().min(1).default(20),
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  WS_HEARTBEAT_MS: z.coerce.number().int().min(10).default(30_000),
  /** Each socket's message budget: this many messages a second, in bursts of up to WS_MESSAGE_BURST. */
  WS_MESSAGES_PER_SECOND: z.coerce.number().min(0.1).default(20),
  WS_MESSAGE_BURST: z.coerce.number().int().min(1).default(100),
});

export type Config = z.output<typeof ConfigSchema>;

/** Reads the configuration from the environment; every setting is validated in this one place. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The clock is injected everywhere so that tests can move time. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
