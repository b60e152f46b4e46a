import type pg from 'pg';
import type { AppendRequest, KeptResponse, Receipt } from '../types';
import { type BatchPlan, planBatch } from './batch';
import { logStatements } from './statements';

interface VersionRow {
  stream_id: string;
  v: number;
}

/**
 * The locked path of an append (./pgLog.ts): BEGIN, the head's row locked, and the batch decided on what
 * the log holds under that lock (versions, kept keys, claims). The caller writes and commits.
 */
export async function planLocked(
  client: pg.PoolClient,
  requests: readonly AppendRequest[],
  now: Date,
): Promise<BatchPlan> {
  // BEGIN, the head's lock and the streams' versions in one round trip (a simple query may hold several
  // statements, without parameters: the stream ids go in as escaped literals).
  const streams = [...new Set(requests.map((request) => request.streamId))];
  const opened = (await client.query(
    `BEGIN; SELECT position, hash FROM log_head WHERE id = 1 FOR UPDATE;
     SELECT stream_id, max(version) AS v FROM events
     WHERE stream_id IN (${streams.map((id) => client.escapeLiteral(id)).join(', ')}) GROUP BY stream_id`,
  )) as unknown as [pg.QueryResult, pg.QueryResult<Receipt>, pg.QueryResult<VersionRow>];
  const first = opened[1].rows[0];
  if (!first) throw new Error('the log has no head row: the database was not migrated by this service');
  const head: Receipt = { position: first.position, hash: first.hash };
  const versions = new Map(opened[2].rows.map((row) => [row.stream_id, row.v]));
  const kept = await keptResponses(client, requests);
  const held = await heldClaims(client, requests);
  return planBatch(requests, head, { versions, kept, held }, now);
}

async function heldClaims(client: pg.PoolClient, requests: readonly AppendRequest[]): Promise<Set<string>> {
  const keys = requests.flatMap((request) => request.claims ?? []);
  if (keys.length === 0) return new Set();
  const rows = await logStatements.heldClaims.rows(client, { keys });
  return new Set(rows.map((row) => row.key));
}

async function keptResponses(
  client: pg.PoolClient,
  requests: readonly AppendRequest[],
): Promise<Map<string, { fingerprint: string; response: KeptResponse }>> {
  const keys = requests.flatMap((request) => (request.idempotency ? [request.idempotency.key] : []));
  if (keys.length === 0) return new Map();
  const rows = await logStatements.kept.rows(client, { keys });
  return new Map(
    rows.map((row) => [
      row.key,
      {
        fingerprint: row.fingerprint,
        response: { statusCode: row.status_code, body: JSON.parse(row.body) as Record<string, unknown> },
      },
    ]),
  );
}
