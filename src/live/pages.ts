import type { Sqlite } from '../eventStore/database';
import { EVENT_COLUMNS, type EventRow } from '../eventStore/read';
import type { LogEntry } from './topics';

/** A log entry for catch-up: what fan-out reads, and the event's JSON exactly as exported. */
export interface PageEntry extends LogEntry {
  json: string;
}

/**
 * Pages of the log for catch-up, like `EventReader.readPage` but without a parse-and-serialise round trip:
 * only `data` is parsed (visibility needs `groupId`), and the event's JSON is assembled from the stored
 * text, which is what `JSON.stringify` of the parsed event gives (the store writes `JSON.stringify` output,
 * and the keys come in `StoredEvent` order). Catch-up of a long log is bound by this loop.
 */
export class LogPages {
  private readonly page;

  constructor(sqlite: Sqlite) {
    this.page = sqlite.prepare<[number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
  }

  read(after: number, limit: number): PageEntry[] {
    return this.page.all(after, limit).map(toEntry);
  }
}

function toEntry(row: EventRow): PageEntry {
  const json =
    `{"position":${row.position},"id":${JSON.stringify(row.id)},"streamId":${JSON.stringify(row.stream_id)},` +
    `"version":${row.version},"type":${JSON.stringify(row.type)},"data":${row.data},"metadata":${row.metadata},` +
    `"recordedAt":${JSON.stringify(row.recorded_at)},"prevHash":${JSON.stringify(row.prev_hash)},"hash":${JSON.stringify(row.hash)}}`;
  return {
    position: row.position,
    streamId: row.stream_id,
    version: row.version,
    data: JSON.parse(row.data) as Record<string, unknown>,
    json,
  };
}
