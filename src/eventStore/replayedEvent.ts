import type { Statement } from 'better-sqlite3';
import type { EventsTable } from '../db/schema';
import type { RawRow } from './rawRows';
import type { EventMetadata, StoredEvent } from './types';

/**
 * The columns of the rebuild's read: what projections read of most events, in this order. `data` is only
 * read for the types some projection says it acts on and reads the data of (null otherwise: read by
 * position if asked for).
 */
export const REPLAY_COLUMNS = ['position', 'version', 'type', 'recorded_at', 'data', 'stream_id'] as const;
export type ReplayRow = RawRow<Omit<EventsTable, 'data'> & { data: string | null }, typeof REPLAY_COLUMNS>;

/** The columns of an event read by position when a projection asks for them. */
export const REST_COLUMNS = ['id', 'metadata', 'prev_hash', 'hash', 'data'] as const;
export type RestRow = RawRow<EventsTable, typeof REST_COLUMNS>;

/**
 * An event as a rebuild gives it to the projections: the columns projections read of most events come
 * with the page, `data` is parsed on first use, and the rest (metadata, id, chain hashes: read by few
 * projections, for few events) is read from the log by position on first use (docs/performance.md). Its
 * fields are getters: read them, do not spread the event.
 */
export class ReplayedEvent implements StoredEvent {
  #data: Record<string, unknown> | undefined;
  #rest: RestRow | undefined;
  #metadata: EventMetadata | undefined;

  constructor(
    private readonly row: ReplayRow,
    private readonly restOf: Statement<[{ position: number }], RestRow>,
  ) {}

  get position(): number {
    return this.row[0];
  }
  get version(): number {
    return this.row[1];
  }
  get type(): string {
    return this.row[2];
  }
  get recordedAt(): string {
    return this.row[3];
  }
  get data(): Record<string, unknown> {
    this.#data ??= JSON.parse(this.row[4] ?? this.rest()[4]) as Record<string, unknown>;
    return this.#data;
  }
  get streamId(): string {
    return this.row[5];
  }
  get metadata(): EventMetadata {
    this.#metadata ??= JSON.parse(this.rest()[1]) as EventMetadata;
    return this.#metadata;
  }
  get id(): string {
    return this.rest()[0];
  }
  get prevHash(): string {
    return this.rest()[2];
  }
  get hash(): string {
    return this.rest()[3];
  }
  toJSON(): StoredEvent {
    const { position, id, streamId, version, type, data, metadata, recordedAt, prevHash, hash } = this;
    return { position, id, streamId, version, type, data, metadata, recordedAt, prevHash, hash };
  }

  private rest(): RestRow {
    this.#rest ??= this.restOf.get({ position: this.row[0] });
    const rest = this.#rest;
    if (!rest) throw new Error(`event ${this.row[0]} is not in the log`);
    return rest;
  }
}
