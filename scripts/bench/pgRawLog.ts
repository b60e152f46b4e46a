import pg from 'pg';
import { eventId } from '../../src/eventStore/eventId';

const PLACEHOLDER_HASH = 'ab'.repeat(32);

/**
 * The raw PostgreSQL baselines' log: the event log's table, its columns and unique keys as migration
 * 0001_event_log makes them (no triggers, no head row, no chain computed), one named (prepared) `pg` insert
 * per event in a transaction of its own (`BEGIN`, `INSERT`, `COMMIT`). The append scenario's raw insert and
 * the HTTP scenario's bare route both write it, so that both baselines store the row our log stores, with
 * the work a log's row costs (its unique id and stream version) and nothing of ours. With `autocommit` the
 * insert is its own transaction, one round trip: the floor under any durable one-event append (not a bar).
 */
export async function openRawPgLog(url: string, connections: number, { autocommit = false } = {}) {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // The server may stop before an idle connection closes: its goodbye must not stop the process.
  pool.on('error', () => undefined);
  await pool.query(`CREATE TABLE events (
    position BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, version))`);
  const versions = new Map<string, number>();
  let position = 0;
  return {
    /** Inserts one event at the head of its stream in a transaction of its own; returns its position. */
    async append(streamId: string, type: string, dataText: string, metadataText: string): Promise<number> {
      const now = new Date();
      // Taken before the await, so that concurrent requests never share a position or a stream version.
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      position += 1;
      const at = position;
      const client = await pool.connect();
      try {
        if (!autocommit) await client.query('BEGIN');
        await client.query({
          name: 'raw_event_insert',
          text: `INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          values: [
            at,
            eventId(now.getTime()),
            streamId,
            version,
            type,
            dataText,
            metadataText,
            now.toISOString(),
            PLACEHOLDER_HASH,
            PLACEHOLDER_HASH,
          ],
        });
        if (!autocommit) await client.query('COMMIT');
      } finally {
        client.release();
      }
      return at;
    },
    close: () => pool.end(),
  };
}
