import BetterSqlite3 from 'better-sqlite3';
import { eventId } from '../../src/eventStore/eventId';
import { prepareEventInsert } from '../../src/eventStore/store';

const PLACEHOLDER_HASH = 'ab'.repeat(32);

/**
 * The raw baselines' log: the event log's table, its columns and unique keys as migration 0001 makes them
 * (no triggers, no views, no chain computed), one prepared better-sqlite3 insert per event, each in a
 * transaction of its own. The append scenario's raw insert and the HTTP scenario's bare route both write
 * it, so that both baselines store the row our log stores, with the work a log's row costs (its unique
 * id and its stream version) and nothing of ours.
 */
export function openRawLog(file: string, synchronous: 'FULL' | 'NORMAL') {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, version)) STRICT`);
  // The store's own prepared insert: the same statement, raw, without the rest of an append.
  const insert = prepareEventInsert(db);
  const versions = new Map<string, number>();
  let position = 0;
  return {
    /** Inserts one event at the head of its stream (autocommit: one transaction); returns its position. */
    append(streamId: string, type: string, dataText: string, metadataText: string): number {
      const now = new Date();
      const version = (versions.get(streamId) ?? 0) + 1;
      insert.run(
        position + 1,
        eventId(now.getTime()),
        streamId,
        version,
        type,
        dataText,
        metadataText,
        now.toISOString(),
        PLACEHOLDER_HASH,
        PLACEHOLDER_HASH,
      );
      position += 1;
      versions.set(streamId, version);
      return position;
    },
    close: () => db.close(),
  };
}
