import type { Sqlite } from '../../src/eventStore/database';
import type { EventMetadata, StoredEvent } from '../../src/eventStore/types';

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export const EVENT_COLUMNS = 'position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash';

export function rowToEvent(row: EventRow): StoredEvent {
  return {
    position: row.position,
    id: row.id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Synchronous reads of the log with prepared statements: used by the write path (loading a stream),
 * the live hub (catch-up pages) and the audit tools (iteration without loading the log into memory).
 */
export class EventReader {
  private readonly byStream;
  private readonly afterPosition;
  private readonly range;
  private readonly headStmt;

  constructor(private readonly sqlite: Sqlite) {
    this.byStream = sqlite.prepare<[string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND version > ? ORDER BY version`,
    );
    this.afterPosition = sqlite.prepare<[number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
    this.range = sqlite.prepare<[number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position`,
    );
    this.headStmt = sqlite.prepare<[], { position: number; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    );
  }

  /** Events of one stream after a version (0 for all), in version order. */
  readStream(streamId: string, afterVersion = 0): StoredEvent[] {
    return this.byStream.all(streamId, afterVersion).map(rowToEvent);
  }

  /** One page of the log after a position. */
  readPage(after: number, limit: number): StoredEvent[] {
    return this.afterPosition.all(after, limit).map(rowToEvent);
  }

  /** Iterates the log in position order without holding it in memory. */
  *iterate(after = 0, until = Number.MAX_SAFE_INTEGER): Generator<StoredEvent> {
    for (const row of this.range.iterate(after, until)) yield rowToEvent(row);
  }

  /** Raw rows, for tools that hash or export the stored text itself. */
  iterateRows(after = 0, until = Number.MAX_SAFE_INTEGER): IterableIterator<EventRow> {
    return this.range.iterate(after, until);
  }

  head(): { position: number; hash: string } {
    return this.headStmt.get() ?? { position: 0, hash: '0'.repeat(64) };
  }
}
