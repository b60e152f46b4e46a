import type BetterSqlite3 from 'better-sqlite3';
import {
  type Compilable,
  DummyDriver,
  Kysely,
  type RawBuilder,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
} from 'kysely';
import type { Database } from './schema';

/**
 * Kysely as a query builder only: it compiles SQL text, and better-sqlite3 prepares and runs it
 * synchronously, inside the store's transactions (Kysely's own driver is asynchronous).
 */
export const queryBuilder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A statement's named parameters: `p.streamId` compiles to `@streamId`, typed as `P['streamId']`. */
export type Params<P> = { readonly [K in keyof P]: RawBuilder<P[K]> };

const placeholders = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' ? sql.raw(`@${key}`) : undefined) },
) as Params<Record<string, unknown>>;

/** The arguments of `run`, `get`, `all` and `iterate`: one object of named values, or none. */
type Bind<P> = keyof P extends never ? [] : [P];

/**
 * Compiles a query once into a prepared statement whose rows have the type Kysely infers. Parameters are
 * named placeholders (`p.name`), bound when the statement runs; a literal value in the query would be
 * bound once at compile time, so it is refused (inline constants with `sql.lit`).
 *
 * ```ts
 * const byStream = prepare(sqlite, (db, p: Params<{ streamId: string }>) =>
 *   db.selectFrom('events').selectAll().where('stream_id', '=', p.streamId));
 * byStream.all({ streamId }); // rows typed as the events table
 * ```
 */
export function prepare<R, P extends object = Record<never, never>>(
  sqlite: BetterSqlite3.Database,
  build: (db: Kysely<Database>, p: Params<P>) => Compilable<R>,
): BetterSqlite3.Statement<Bind<P>, R> {
  const compiled = build(queryBuilder, placeholders as Params<P>).compile();
  if (compiled.parameters.length > 0) {
    throw new Error(`a prepared statement takes named parameters (p.name), not values: ${compiled.sql}`);
  }
  return sqlite.prepare<Bind<P>, R>(compiled.sql);
}
