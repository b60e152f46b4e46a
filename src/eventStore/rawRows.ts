import type { Statement } from 'better-sqlite3';
import type { EventsTable } from '../db/schema';
import type { StoredEvent } from './types';

/** The log's columns, in the order the event insert binds them and the raw reads return them. */
export const EVENT_COLUMN_NAMES = [
  'position',
  'id',
  'stream_id',
  'version',
  'type',
  'data',
  'metadata',
  'recorded_at',
  'prev_hash',
  'hash',
] as const;

/** A row as better-sqlite3's raw mode returns it: the values of `columns`, in their order. */
export type RawRow<Row, Columns extends readonly PropertyKey[]> = {
  -readonly [I in keyof Columns]: Columns[I] extends keyof Row ? Row[Columns[I]] : never;
};

/** An event row in raw mode: the columns of EVENT_COLUMN_NAMES, in order. */
export type RawEventRow = RawRow<EventsTable, typeof EVENT_COLUMN_NAMES>;

/** A stored event as its row, data and metadata as their JSON text (what an insert of the log binds). */
export function eventToRow(event: StoredEvent): RawEventRow {
  return [
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
  ];
}

/**
 * Switches a statement to raw mode (rows as arrays: no object with named keys per row, for the hot read
 * paths) and types its rows as the values of `columns`, the list its query selected, in that order.
 */
export function rawRows<B extends unknown[], Row, const Columns extends readonly (keyof Row)[]>(
  statement: Statement<B, Row>,
  _columns: Columns,
): Statement<B, RawRow<Row, Columns>> {
  return statement.raw(true) as unknown as Statement<B, RawRow<Row, Columns>>;
}
