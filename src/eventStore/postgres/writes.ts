import type pg from 'pg';
import { EVENT_COLUMN_NAMES, type RawEventRow } from '../rawRows';
import type { StoredEvent } from '../types';
import type { BatchPlan, KeptKey } from './batch';

const COLUMNS = EVENT_COLUMN_NAMES.join(', ');

/** Writes a planned batch inside the caller's transaction, moves the head, and wakes every tail. */
export async function writePlan(client: pg.PoolClient, plan: BatchPlan, channel: string): Promise<void> {
  await insertEvents(client, plan.rows);
  if (plan.keys.length > 0) await insertKeys(client, plan.keys);
  if (plan.claims.length > 0)
    await client.query({
      name: 'dialogue_insert_claims',
      text: 'INSERT INTO claims (key, position) SELECT * FROM unnest($1::text[], $2::bigint[])',
      values: [plan.claims.map((claim) => claim.key), plan.claims.map((claim) => claim.position)],
    });
  await client.query({
    name: 'dialogue_head_move',
    text: `WITH moved AS (UPDATE log_head SET position = $1, hash = $2 WHERE id = 1 RETURNING position)
           SELECT pg_notify($3, position::text) FROM moved`,
    values: [plan.head.position, plan.head.hash, channel],
  });
}

/** One statement for every event of a batch: arrays unnested into rows, in position order. */
function insertEvents(client: pg.PoolClient, rows: readonly StoredEvent[]): Promise<void> {
  return insertRows(
    client,
    rows.map((event) => [
      event.position,
      event.id,
      event.streamId,
      event.version,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      event.recordedAt,
      event.prevHash,
      event.hash,
    ]),
  );
}

/** Rows as stored (columns in EVENT_COLUMN_NAMES order), in one statement; also what a restore writes. */
export async function insertRows(client: pg.PoolClient, rows: readonly RawEventRow[]): Promise<void> {
  await client.query({
    name: 'dialogue_insert_events',
    text: `INSERT INTO events (${COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[],
                                $7::text[], $8::text[], $9::text[], $10::text[])`,
    values: EVENT_COLUMN_NAMES.map((_, column) => rows.map((row) => row[column])),
  });
}

async function insertKeys(client: pg.PoolClient, keys: readonly KeptKey[]): Promise<void> {
  await client.query({
    name: 'dialogue_insert_keys',
    text: `INSERT INTO idempotency_keys (key, fingerprint, status_code, body, position, recorded_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::text[])`,
    values: [
      keys.map((key) => key.key),
      keys.map((key) => key.fingerprint),
      keys.map((key) => key.response.statusCode),
      keys.map((key) => JSON.stringify(key.response.body)),
      keys.map((key) => key.position),
      keys.map((key) => key.at),
    ],
  });
}
