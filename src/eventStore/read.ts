import { type Kysely, sql } from 'kysely';
import type { Database, EventsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from './database';
import { EVENT_COLUMN_NAMES, type RawEventRow, rawRows } from './rawRows';
import type { EventMetadata, StoredEvent } from './types';

/** A row of the log as stored. */
export type EventRow = EventsTable;

/** The log's columns as SQL text, in EVENT_COLUMN_NAMES order (the event insert's column list). */
export const EVENT_COLUMNS = EVENT_COLUMN_NAMES.join(', ');

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

/** Most parsed events readStream keeps (a bound on its memory), least recently read streams dropped first. */
const STREAM_CACHE_EVENTS = 50_000;

/** rowToEvent for raw rows: no intermediate object with ten named keys per row on the hot read paths. */
function rawToEvent(row: RawEventRow): StoredEvent {
  return {
    position: row[0],
    id: row[1],
    streamId: row[2],
    version: row[3],
    type: row[4],
    data: JSON.parse(row[5]) as Record<string, unknown>,
    metadata: JSON.parse(row[6]) as EventMetadata,
    recordedAt: row[7],
    prevHash: row[8],
    hash: row[9],
  };
}

/**
 * Synchronous reads of the log with prepared statements: used by the write path (loading a stream),
 * the live hub (catch-up pages) and the audit tools (iteration without loading the log into memory).
 */
export class EventReader {
  private readonly byStream;
  private readonly byStreamPage;
  private readonly afterPosition;
  private readonly range;
  private readonly rangeRaw;
  private readonly headStmt;
  private readonly streams = new Map<string, StoredEvent[]>();
  private cachedEvents = 0;

  constructor(readonly sqlite: Sqlite) {
    const streamAfter = (db: Kysely<Database>, p: Params<{ streamId: string; afterVersion: number }>) =>
      db
        .selectFrom('events')
        .select(EVENT_COLUMN_NAMES)
        .where('stream_id', '=', p.streamId)
        .where('version', '>', p.afterVersion)
        .orderBy('version');
    const range = (db: Kysely<Database>, p: Params<{ after: number; until: number }>) =>
      db
        .selectFrom('events')
        .select(EVENT_COLUMN_NAMES)
        .where('position', '>', p.after)
        .where('position', '<=', p.until)
        .orderBy('position');
    // Raw mode (rows as arrays) on the paths that build StoredEvents: see docs/performance.md.
    this.byStream = rawRows(prepare(sqlite, streamAfter), EVENT_COLUMN_NAMES);
    this.byStreamPage = rawRows(
      prepare(sqlite, (db, p: Params<{ streamId: string; afterVersion: number; limit: number }>) =>
        streamAfter(db, p).limit(p.limit),
      ),
      EVENT_COLUMN_NAMES,
    );
    this.afterPosition = rawRows(
      prepare(sqlite, (db, p: Params<{ after: number; limit: number }>) =>
        db
          .selectFrom('events')
          .select(EVENT_COLUMN_NAMES)
          .where('position', '>', p.after)
          .orderBy('position')
          .limit(p.limit),
      ),
      EVENT_COLUMN_NAMES,
    );
    this.rangeRaw = rawRows(prepare(sqlite, range), EVENT_COLUMN_NAMES);
    this.range = prepare(sqlite, range);
    this.headStmt = prepare(sqlite, (db) =>
      db.selectFrom('events').select(['position', 'hash']).orderBy('position', 'desc').limit(sql.lit(1)),
    );
  }

  /**
   * Events of one stream after a version (0 for all), in version order.
   *
   * Every command loads its stream, so a stream's parsed events are kept (see docs/performance.md). The log
   * only grows at each stream's end (the schema refuses anything else), so a kept prefix stays true and each
   * call reads only the events after it: one index probe when nothing is new, and events committed by other
   * processes are seen.
   * Reads inside a transaction bypass the cache: what they see may yet be rolled back. The returned array
   * is the caller's; the events in it are shared and must not be mutated.
   */
  readStream(streamId: string, afterVersion = 0): StoredEvent[] {
    if (this.sqlite.inTransaction) return this.byStream.all({ streamId, afterVersion }).map(rawToEvent);
    let kept = this.streams.get(streamId);
    // A caller that has folded the first events itself (the write path keeps folded states) only needs the
    // rest, usually nothing: read past the cache rather than parse what it does not need (docs/performance.md).
    if (afterVersion > 0 && afterVersion >= (kept?.length ?? 0))
      return this.byStream.all({ streamId, afterVersion }).map(rawToEvent);
    if (kept) this.streams.delete(streamId);
    else kept = [];
    const known = kept.length;
    for (const row of this.byStream.all({ streamId, afterVersion: known })) kept.push(rawToEvent(row));
    this.cachedEvents += kept.length - known;
    // Map order is recency order: re-inserting marks the stream as just used; the oldest go first.
    if (kept.length > 0) this.streams.set(streamId, kept);
    for (const [oldest, events] of this.streams) {
      if (this.cachedEvents <= STREAM_CACHE_EVENTS) break;
      this.streams.delete(oldest);
      this.cachedEvents -= events.length;
    }
    return kept.slice(afterVersion);
  }

  /** Up to `limit` events of one stream after a version, read past the cache (pages of long streams). */
  readStreamPage(streamId: string, afterVersion: number, limit: number): StoredEvent[] {
    return this.byStreamPage.all({ streamId, afterVersion, limit }).map(rawToEvent);
  }

  /** One page of the log after a position. */
  readPage(after: number, limit: number): StoredEvent[] {
    return this.afterPosition.all({ after, limit }).map(rawToEvent);
  }

  /** Iterates the log in position order without holding it in memory. */
  *iterate(after = 0, until = Number.MAX_SAFE_INTEGER): Generator<StoredEvent> {
    for (const row of this.rangeRaw.iterate({ after, until })) yield rawToEvent(row);
  }

  /** Raw rows, for tools that hash or export the stored text itself. */
  iterateRows(after = 0, until = Number.MAX_SAFE_INTEGER): IterableIterator<EventRow> {
    return this.range.iterate({ after, until });
  }

  head(): { position: number; hash: string } {
    return this.headStmt.get() ?? { position: 0, hash: '0'.repeat(64) };
  }
}
