import { sql } from 'kysely';
import { type PgParams, preparePg } from '../../db/pgStatements';
import { EVENT_COLUMN_NAMES } from '../rawRows';

/**
 * The log's reads on PostgreSQL, typed by Kysely and run as named statements. The append's writes stay in
 * SQL (./writes.ts): `unnest` of column arrays and the one-round-trip CTE are what an append costs.
 */
export const logStatements = {
  head: preparePg('dialogue_head', (db) =>
    db.selectFrom('log_head').select(['position', 'hash']).where('id', '=', sql.lit(1)),
  ),

  /** The head's row locked until the transaction ends: appends and restores serialise on it. */
  lockedHead: preparePg('dialogue_head_locked', (db) =>
    db.selectFrom('log_head').select(['position', 'hash']).where('id', '=', sql.lit(1)).forUpdate(),
  ),

  moveHead: preparePg('dialogue_move_head', (db, p: PgParams<{ position: number; hash: string }>) =>
    db.updateTable('log_head').set({ position: p.position, hash: p.hash }).where('id', '=', sql.lit(1)),
  ),

  /** Up to `limit` events after `after`, in position order, columns in EVENT_COLUMN_NAMES order. */
  events: preparePg('dialogue_read', (db, p: PgParams<{ after: number; limit: number }>) =>
    db
      .selectFrom('events')
      .select(EVENT_COLUMN_NAMES)
      .where('position', '>', p.after)
      .orderBy('position')
      .limit(p.limit),
  ),

  /** Which of `keys` are claimed already. */
  heldClaims: preparePg('dialogue_claims', (db, p: PgParams<{ keys: string[] }>) =>
    db.selectFrom('claims').select('key').where(sql<boolean>`key = ANY(${p.keys})`),
  ),

  /** The responses kept under `keys`. */
  kept: preparePg('dialogue_kept', (db, p: PgParams<{ keys: string[] }>) =>
    db
      .selectFrom('idempotency_keys')
      .select(['key', 'fingerprint', 'status_code', 'body'])
      .where(sql<boolean>`key = ANY(${p.keys})`),
  ),
};
