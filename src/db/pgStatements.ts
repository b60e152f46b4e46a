import pg from 'pg';
import {
  type Compilable,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
  sql,
} from 'kysely';
import type { PgDatabase } from './pgSchema';

/** Kysely compiling PostgreSQL only: the statements below are compiled once, then run by pg by name. */
const compiler = new Kysely<PgDatabase>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * Kysely on the log's pool, through its PostgresDialect: the statements that run now and then (migrations,
 * readiness, backups). The pool stays the log's: destroying this Kysely leaves it open.
 */
export function kyselyOn(pool: pg.Pool): Kysely<PgDatabase> {
  return new Kysely<PgDatabase>({
    dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => undefined } }),
  });
}

const INT8 = 20;

/**
 * The log's pool reads BIGINT (positions) as a number, not as text: a position would pass 2^53 after
 * nine thousand million million events.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary'
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A statement's named parameters: `p.after` compiles to `$n`, typed as `P['after']`. */
export type PgParams<P> = { readonly [K in keyof P]: RawBuilder<P[K]> };

/** A statement compiled once: `config(params)` is what `pg` runs, as a named statement. */
export interface PgStatement<R, P> {
  readonly name: string;
  readonly text: string;
  config(params: P): pg.QueryConfig;
  /** Runs it on a pool or a checked-out client; rows typed as Kysely infers them. */
  rows(on: pg.Pool | pg.PoolClient, params: P): Promise<R[]>;
}

/**
 * Compiles a query once into a named pg statement (parsed once per connection, then only bound: what the
 * tail's reads and the locked append need). Parameters are named placeholders (`p.name`), numbered in the
 * order they first appear; a literal value in the query would be bound once at compile time, so it is
 * refused (inline constants with `sql.lit`).
 *
 * ```ts
 * const after = preparePg('dialogue_read', (db, p: PgParams<{ after: number }>) =>
 *   db.selectFrom('events').selectAll().where('position', '>', p.after));
 * await after.rows(pool, { after: 0 }); // rows typed as the events table
 * ```
 */
export function preparePg<R, P extends object = Record<never, never>>(
  name: string,
  build: (db: Kysely<PgDatabase>, p: PgParams<P>) => Compilable<R>,
): PgStatement<R, P> {
  const order: string[] = [];
  const placeholders = new Proxy(
    {},
    {
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined;
        if (!order.includes(key)) order.push(key);
        return sql.raw(`$${order.indexOf(key) + 1}`);
      },
    },
  ) as PgParams<P>;
  const compiled = build(compiler, placeholders).compile();
  if (compiled.parameters.length > 0) {
    throw new Error(`a prepared statement takes named parameters (p.name), not values: ${compiled.sql}`);
  }
  const text = compiled.sql;
  const config = (params: P): pg.QueryConfig => ({
    name,
    text,
    values: order.map((key) => (params as Record<string, unknown>)[key]),
  });
  return {
    name,
    text,
    config,
    rows: async (on, params) => (await on.query(config(params))).rows as R[],
  };
}
