import { isIP } from 'node:net';
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

/** An http(s) URL given in the configuration: parsed once, so that a typo stops the server at start. */
function httpUrl(value: string, ctx: z.RefinementCtx): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a URL` });
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not an http or https URL` });
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    ctx.addIssue({ code: 'custom', message: 'a URL here must not hold credentials' });
    return undefined;
  }
  if (url.search !== '' || url.hash !== '') {
    ctx.addIssue({ code: 'custom', message: `'${value}' must not have a query or a fragment` });
    return undefined;
  }
  return url;
}

/** Origins (`https://host[:port]`): anything more than an origin is refused rather than silently cut. */
const origins = csv([]).transform((entries, ctx) =>
  entries.flatMap((entry) => {
    const url = httpUrl(entry, ctx);
    if (url && url.pathname !== '/') ctx.addIssue({ code: 'custom', message: `'${entry}' is not an origin (no path)` });
    return url ? [url.origin] : [];
  }),
);

/** proxy-addr's names for the reserved ranges, accepted by Fastify's `trustProxy`. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function proxyAddress(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Which proxies' `X-Forwarded-For` to believe (Fastify's `trustProxy`): none when unset, else the proxies'
 * addresses and CIDR ranges. `true` and hop counts are refused: they cannot tell the proxy from a client
 * that connects directly, which could then choose the address that the limits count (Fastify itself
 * ignores hop counts for that reason).
 */
const trustProxy = z
  .string()
  .optional()
  .transform((value, ctx): false | string[] => {
    const entries = (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (entries.length === 0) return false;
    const bad = entries.filter((entry) => !proxyAddress(entry));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `give the proxies' addresses or CIDR ranges (not true, not a hop count); not one: ${bad.join(', ')}`,
      });
    }
    return entries;
  });

/**
 * `postgres://` (or `postgresql://`) selects PostgreSQL; a file path or `:memory:` selects SQLite. Any other
 * scheme is refused by name: taken for a path, `mysql://h/db` would become a SQLite file in a folder `mysql:`.
 */
function databaseUrl(value: string, ctx: z.RefinementCtx): void {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1];
  if (value === ':memory:' || scheme === undefined) return;
  if (/^postgres(ql)?$/i.test(scheme)) {
    if (!/^postgres(ql)?:\/\/[^/]/i.test(value) || !URL.canParse(value))
      ctx.addIssue({ code: 'custom', message: 'give PostgreSQL as postgres://user:password@host:5432/database' });
    return;
  }
  ctx.addIssue({
    code: 'custom',
    message:
      `the scheme "${scheme}:" is not supported: give postgres://user:password@host:5432/database for ` +
      `PostgreSQL, or a file path or :memory: for SQLite${value.includes('://') ? '' : ` (a file whose name holds a colon: ./${value})`}`,
  });
}

const ConfigSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().min(1).default('./data/dialogue.sqlite').superRefine(databaseUrl),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** FULL is the durable default; anything else must be asked for explicitly. */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL', 'EXTRA']).default('FULL'),
  BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** WAL pages after which a commit checkpoints the log into the database file (see database.ts). */
  SQLITE_WAL_AUTOCHECKPOINT: z.coerce.number().int().min(1).default(10_000),
  /** PostgreSQL store only: connections per instance, and how long a wait for one may last before a 503. */
  PG_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** PostgreSQL store only: the longest any statement may run (server and client side) before a 503. */
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** PostgreSQL store only: the instance's replica of the views (`:memory:` rebuilds it from the log at start). */
  REPLICA_PATH: z.string().min(1).default(':memory:'),
  /** PostgreSQL store only: how often the live tail reads the log when no NOTIFY woke it. */
  TAIL_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  PILLARS: csv(DEFAULT_PILLARS),
  /** Origins allowed to open websockets; empty means PUBLIC_URL's origin, or loopback on the server's port. */
  ALLOWED_ORIGINS: origins,
  /** Where users reach the service (its origin may open websockets; links printed for users start with it). */
  PUBLIC_URL: z
    .string()
    .optional()
    .transform((value, ctx) =>
      value === undefined || value.trim() === '' ? undefined : httpUrl(value.trim(), ctx)?.href,
    ),
  TRUST_PROXY: trustProxy,
  SIGNING_KEY_FILE: z.string().optional(),
  CHECKPOINT_DIR: z.string().optional(),
  CHECKPOINT_EVERY_EVENTS: z.coerce.number().int().min(1).default(1000),
  CHECKPOINT_EVERY_MINUTES: z.coerce.number().min(0).default(10),
  /**
   * How often the scheduler looks for deadlines that have passed (at most a second, the promise a deadline
   * fires within); 0 turns it off in this process (tools and tests that fire deadlines themselves).
   */
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).max(1000).default(250),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1).default(60_000),
  /** Failed authentications one address may make per rate-limit window before it gets 429s. */
  AUTH_FAILURES_MAX: z.coerce.number().int().min(1).default(60),
  WS_MAX_CONNECTIONS_PER_TOKEN: z.coerce.number().int().min(1).default(20),
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
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
