import type pg from 'pg';
import type { IdempotencyKeysTable } from '../../db/schema';
import { EVENT_COLUMN_NAMES, eventToRow, type RawEventRow } from '../rawRows';
import type { Receipt } from '../types';
import type { BatchPlan, KeptKey } from './batch';

const COLUMNS = EVENT_COLUMN_NAMES.join(', ');

/**
 * Writes a planned batch inside the caller's transaction, moves the head, wakes every tail, and commits. The
 * events, the head and the COMMIT go in one simple query (values as escaped literals: a simple query takes
 * no parameters but may hold several statements): each statement is a round trip, and round trips are what
 * an append costs here (docs/performance.md). On an error the server runs none of the statements after it.
 */
export async function writeAndCommit(client: pg.PoolClient, plan: BatchPlan, channel: string): Promise<void> {
  if (plan.keys.length > 0) await insertKeys(client, plan.keys);
  if (plan.claims.length > 0) await insertClaims(client, plan.claims);
  const literal = (value: string | number) =>
    typeof value === 'number' ? String(Math.trunc(value)) : client.escapeLiteral(value);
  const values = plan.rows.map((event) => `(${eventToRow(event).map(literal).join(', ')})`).join(',\n');
  await client.query(
    `WITH inserted AS (INSERT INTO events (${COLUMNS}) VALUES ${values} RETURNING position),
          moved AS (UPDATE log_head SET position = ${literal(plan.head.position)}, hash = ${literal(plan.head.hash)}
                    WHERE id = 1 RETURNING position)
     SELECT pg_notify(${literal(channel)}, position::text) FROM moved;
     COMMIT`,
  );
}

/** Claims and the positions that hold them, in one statement; also what a restore writes. */
export async function insertClaims(
  client: pg.PoolClient,
  claims: readonly { key: string; position: number }[],
): Promise<void> {
  await client.query({
    name: 'dialogue_insert_claims',
    text: 'INSERT INTO claims (key, position) SELECT * FROM unnest($1::text[], $2::bigint[])',
    values: [claims.map((claim) => claim.key), claims.map((claim) => claim.position)],
  });
}

/** One array per column, for `unnest`. */
function columnArrays(rows: readonly RawEventRow[]): unknown[][] {
  return EVENT_COLUMN_NAMES.map((_, column) => rows.map((row) => row[column]));
}

/** Rows as stored (columns in EVENT_COLUMN_NAMES order), in one statement; also what a restore writes. */
export async function insertRows(client: pg.PoolClient, rows: readonly RawEventRow[]): Promise<void> {
  await client.query({
    name: 'dialogue_insert_events',
    text: `INSERT INTO events (${COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[],
                                $7::text[], $8::text[], $9::text[], $10::text[])`,
    values: columnArrays(rows),
  });
}

async function insertKeys(client: pg.PoolClient, keys: readonly KeptKey[]): Promise<void> {
  await insertKeyRows(client, keys.map(keyRow));
}

/** Kept keys as stored (the response's body as JSON text), in one statement; also what a restore writes. */
export async function insertKeyRows(client: pg.PoolClient, rows: readonly IdempotencyKeysTable[]): Promise<void> {
  await client.query({
    name: 'dialogue_insert_keys',
    text: `INSERT INTO idempotency_keys (key, fingerprint, status_code, body, position, recorded_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::text[])`,
    values: keyArrays(rows),
  });
}

function keyRow(key: KeptKey): IdempotencyKeysTable {
  return {
    key: key.key,
    fingerprint: key.fingerprint,
    status_code: key.response.statusCode,
    body: JSON.stringify(key.response.body),
    position: key.position,
    recorded_at: key.at,
  };
}

/** The kept keys' columns, one array each, for `unnest`. */
function keyArrays(rows: readonly IdempotencyKeysTable[]): unknown[][] {
  return [
    rows.map((row) => row.key),
    rows.map((row) => row.fingerprint),
    rows.map((row) => row.status_code),
    rows.map((row) => row.body),
    rows.map((row) => row.position),
    rows.map((row) => row.recorded_at),
  ];
}

/**
 * The whole batch in one prepared statement and one round trip, if the log's head is still `expected`
 * (what this instance's replica holds, on which the batch was decided): the head moves, the events, keys
 * and claims go in, and every tail is woken, or, if another instance appended since, nothing is written.
 * Returns whether it committed. A key or claim already taken aborts it with a unique violation (23505).
 */
export async function writeAtHead(
  client: pg.PoolClient,
  plan: BatchPlan,
  expected: Receipt,
  channel: string,
): Promise<boolean> {
  const keys = plan.keys.length > 0;
  const claims = plan.claims.length > 0;
  const values: unknown[] = [channel, plan.head.position, plan.head.hash, expected.position, expected.hash];
  values.push(...columnArrays(plan.rows.map(eventToRow)));
  if (keys) values.push(...keyArrays(plan.keys.map(keyRow)));
  if (claims)
    values.push(
      plan.claims.map((claim) => claim.key),
      plan.claims.map((claim) => claim.position),
    );
  // Inserts of no rows cost a sixth of the statement: a batch without keys or claims runs one without them.
  const result = await client.query({
    name: `dialogue_append_at_head${keys ? '_keys' : ''}${claims ? '_claims' : ''}`,
    text: `WITH moved AS (
             UPDATE log_head SET position = $2, hash = $3 WHERE id = 1 AND position = $4 AND hash = $5
             RETURNING position),
           inserted AS (
             INSERT INTO events (${COLUMNS})
             SELECT e.* FROM unnest($6::bigint[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[],
                                    $12::text[], $13::text[], $14::text[], $15::text[]) AS e
             WHERE EXISTS (SELECT 1 FROM moved))${keys ? KEPT_AT_HEAD : ''}${claims ? CLAIMED_AT_HEAD(keys ? 22 : 16) : ''}
         SELECT pg_notify($1, position::text) FROM moved`,
    values,
  });
  return result.rowCount === 1;
}

const KEPT_AT_HEAD = `,
  kept AS (
    INSERT INTO idempotency_keys (key, fingerprint, status_code, body, position, recorded_at)
    SELECT k.* FROM unnest($16::text[], $17::text[], $18::int[], $19::text[], $20::bigint[], $21::text[]) AS k
    WHERE EXISTS (SELECT 1 FROM moved))`;

const CLAIMED_AT_HEAD = (first: number) => `,
  held AS (
    INSERT INTO claims (key, position) SELECT c.* FROM unnest($${first}::text[], $${first + 1}::bigint[]) AS c
    WHERE EXISTS (SELECT 1 FROM moved))`;
