import type { Clock } from '../config';
import { type Params, prepare } from '../db/statements';
import { StoreUnavailable } from '../errors';
import type { Sqlite } from './database';
import type { PgLog } from './postgres/pgLog';
import type { Pending } from './types';
import { Replica } from './postgres/replica';
import { chainEvents } from './chain';
import { checkExpectedVersion } from './expectedVersion';
import { EVENT_COLUMNS, EventReader } from './read';
import type { Projection } from './projections';
import type { AppendOutcome, AppendRequest, Appended, IdempotencyLedger, StoredEvent } from './types';

interface ItemResult {
  outcome?: AppendOutcome;
  error?: unknown;
}

/** Most appends a single group commit carries; more wait for the next tick. */
const MAX_BATCH = 512;

/** SQLite failures that mean "the log cannot commit now", not "this request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM|PROTOCOL|CORRUPT|NOTADB)/;

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE_CODES.test(code);
}

export type CommitListener = (events: StoredEvent[]) => void;

/** A group commit's number of appends, and its seconds from the start of its transaction to its commit. */
export type BatchObserver = (appends: number, seconds: number) => void;

/**
 * The append-only, hash-chained event log.
 *
 * `append` is asynchronous for its callers, but each commit is one synchronous better-sqlite3
 * transaction: the version check, the inserts, the chain, the inline projections and the idempotency
 * record (kept by the ledger it is given) commit together or not at all. Appends that arrive in the same tick share one transaction
 * (group commit: one fsync for many commands); each runs in its own savepoint, so one refused append
 * does not undo its neighbours, and no promise resolves before the commit that holds it.
 */
export class EventStore {
  readonly reader: EventReader;
  private queue: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private readonly listeners = new Set<CommitListener>();
  private readonly streamVersion;
  private readonly insert;
  private readonly runBatch;
  private readonly runOne;
  private readonly runAlone;
  private readonly replica: Replica | undefined;

  constructor(
    readonly sqlite: Sqlite,
    private readonly projections: readonly Projection[],
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyLedger,
    /** The shared log in PostgreSQL; this database is then the instance's replica of it (see below). */
    readonly remote?: PgLog,
  ) {
    this.reader = new EventReader(sqlite);
    this.streamVersion = prepare(sqlite, (db, p: Params<{ streamId: string }>) =>
      db
        .selectFrom('events')
        .select((eb) => eb.fn.max<number | null>('version').as('v'))
        .where('stream_id', '=', p.streamId),
    );
    this.insert = prepareEventInsert(sqlite);
    this.runOne = sqlite.transaction((request: AppendRequest, head: { position: number; hash: string }) =>
      this.appendInTransaction(request, head),
    );
    this.runBatch = sqlite.transaction((items: Pending[]) => this.batchInTransaction(items));
    this.runAlone = sqlite.transaction((request: AppendRequest) =>
      this.appendInTransaction(request, this.reader.head()),
    );
    if (remote) {
      const insertReplicated = sqlite.transaction((events: readonly StoredEvent[]) => this.insertRows(events));
      this.replica = new Replica(remote, this.reader, idempotency, clock, {
        take: () => this.queue.splice(0, MAX_BATCH),
        apply: (events) => {
          insertReplicated.immediate(events);
          this.emit([...events]);
        },
        batched: (appends, seconds) => this.observe(appends, seconds),
        version: (streamId) => this.version(streamId),
      });
    }
  }

  /** Told the size and duration of every group commit, refused appends included (the metrics). */
  onBatch: BatchObserver | undefined;
  /** Told each append's seconds from its call to its answer: the queue, the commit and (PostgreSQL) the replica. */
  onAppended: ((seconds: number) => void) | undefined;

  /** Called after every commit with the committed events, in position order. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new StoreUnavailable('the service is shutting down'));
    const started = performance.now();
    return new Promise<AppendOutcome>((resolve, reject) => {
      const answered = (outcome: AppendOutcome) => {
        try {
          this.onAppended?.((performance.now() - started) / 1000);
        } catch {
          // Metrics only.
        }
        resolve(outcome);
      };
      this.queue.push({ request, resolve: answered, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Current version of a stream, 0 when it does not exist. */
  version(streamId: string): number {
    return this.streamVersion.get({ streamId })?.v ?? 0;
  }

  /** Waits for queued appends, then refuses new ones. */
  async close(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled || this.replica?.busy)
      await new Promise((resolve) => setImmediate(resolve));
    this.closed = true;
    await this.replica?.idle();
  }

  private flush(): void {
    if (this.replica) {
      this.scheduled = false;
      void this.replica.drain();
      return;
    }
    this.scheduled = false;
    const items = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (items.length === 0) return;
    let results: ItemResult[];
    const started = performance.now();
    try {
      results = items.length === 1 ? this.commitAlone(items[0] as Pending) : this.runBatch.immediate(items);
    } catch (error) {
      const failure = isUnavailable(error) ? new StoreUnavailable() : error;
      for (const item of items) item.reject(failure);
      return;
    }
    this.observe(items.length, (performance.now() - started) / 1000);
    const committed: StoredEvent[] = [];
    for (const result of results) {
      if (result.outcome?.kind === 'appended') committed.push(...result.outcome.appended.events);
    }
    this.emit(committed);
    results.forEach((result, index) => {
      const item = items[index];
      if (!item) return;
      if (result.outcome) item.resolve(result.outcome);
      else item.reject(result.error);
    });
  }

  /** Tells the metrics of a group commit; an observer's failure never touches the appends. */
  private observe(appends: number, seconds: number): void {
    try {
      this.onBatch?.(appends, seconds);
    } catch {
      // Metrics only.
    }
  }

  private emit(committed: StoredEvent[]): void {
    if (committed.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(committed);
      } catch {
        // A listener (the live hub) must never turn a committed write into a failure.
      }
    }
  }

  /** Brings the replica up to the shared log (PostgreSQL only; see ./postgres/replica.ts). */
  catchUp(): Promise<void> {
    return this.replica ? this.replica.catchUp() : Promise.resolve();
  }

  /**
   * Brings the replica up to `position` at least (a tail's notification names the head a commit left):
   * nothing to read when the replica is there already, as after this instance's own commits.
   */
  catchUpTo(position: number): Promise<void> {
    return this.replica ? this.replica.catchUpTo(position) : Promise.resolve();
  }

  /**
   * A lone append needs no savepoint: if it is refused, its transaction is rolled back and holds nothing
   * else. (Sequential callers, the common case when idle, pay one statement pair less per commit.)
   */
  private commitAlone(item: Pending): ItemResult[] {
    try {
      return [{ outcome: this.runAlone.immediate(item.request) }];
    } catch (error) {
      if (isUnavailable(error)) throw error;
      return [{ error }];
    }
  }

  private batchInTransaction(items: Pending[]): ItemResult[] {
    let head = this.reader.head();
    const results: ItemResult[] = [];
    for (const item of items) {
      try {
        const outcome = this.runOne(item.request, head);
        if (outcome.kind === 'appended') head = outcome.appended.receipt;
        results.push({ outcome });
      } catch (error) {
        // The log cannot take writes: abort the whole batch so that nothing is acknowledged.
        if (isUnavailable(error)) throw error;
        results.push({ error });
      }
    }
    return results;
  }

  private appendInTransaction(request: AppendRequest, head: { position: number; hash: string }): AppendOutcome {
    const keyed = request.idempotency;
    // Checked again here, where no concurrent repeat can slip between the check and the record.
    const kept = keyed && this.idempotency.replay(keyed);
    if (kept) return { kind: 'replayed', response: kept };
    const current = this.version(request.streamId);
    checkExpectedVersion(request.streamId, request.expectedVersion, current);
    const { appended, recordedAt } = this.insertEvents(request, head, current);
    if (!keyed) return { kind: 'appended', appended };
    return { kind: 'appended', appended, response: this.idempotency.keep(keyed, appended, recordedAt) };
  }

  /**
   * Inserts a request's events, inside the write transaction, after the caller has checked its expected
   * version against `current`: `head` must be the log's head, which the chain and the positions continue.
   */
  private insertEvents(
    request: AppendRequest,
    head: { position: number; hash: string },
    current: number,
  ): { appended: Appended; recordedAt: string } {
    const appended = chainEvents(request, head, current, this.clock());
    this.insertRows(appended.events);
    return { appended, recordedAt: appended.events[0]?.recordedAt ?? this.clock().toISOString() };
  }

  /** Inserts chained events and projects each, inside the caller's transaction. */
  private insertRows(events: readonly StoredEvent[]): void {
    for (const stored of events) {
      this.insert.run(
        stored.position,
        stored.id,
        stored.streamId,
        stored.version,
        stored.type,
        JSON.stringify(stored.data),
        JSON.stringify(stored.metadata),
        stored.recordedAt,
        stored.prevHash,
        stored.hash,
      );
      for (const projection of this.projections) projection.apply(stored);
    }
  }
}

/**
 * The insert of one event row, columns in `EVENT_COLUMNS` order. Positional parameters: binding by name
 * costs a property look-up per column on the hottest statement.
 */
export function prepareEventInsert(sqlite: Sqlite) {
  return sqlite.prepare<[number, string, string, number, string, string, string, string, string, string]>(
    `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}
