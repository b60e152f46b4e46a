import type { Clock } from '../config';
import { type Params, prepare } from '../db/statements';
import { StoreUnavailable, VersionConflict } from '../errors';
import type { Sqlite } from './database';
import { canonicalJson, chainHash } from './hash';
import { eventId } from './eventId';
import { EVENT_COLUMNS, EventReader } from './read';
import type { Projection } from './projections';
import type { AppendOutcome, AppendRequest, Appended, ExpectedVersion, IdempotencyLedger, StoredEvent } from './types';

interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

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

  constructor(
    readonly sqlite: Sqlite,
    private readonly projections: readonly Projection[],
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyLedger,
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
  }

  /** Called after every commit with the committed events, in position order. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(request: AppendRequest): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new StoreUnavailable('the service is shutting down'));
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
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
    while (this.queue.length > 0 || this.scheduled) await new Promise((resolve) => setImmediate(resolve));
    this.closed = true;
  }

  private flush(): void {
    this.scheduled = false;
    const items = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (items.length === 0) return;
    let results: ItemResult[];
    try {
      results = items.length === 1 ? this.commitAlone(items[0] as Pending) : this.runBatch.immediate(items);
    } catch (error) {
      const failure = isUnavailable(error) ? new StoreUnavailable() : error;
      for (const item of items) item.reject(failure);
      return;
    }
    const committed: StoredEvent[] = [];
    for (const result of results) {
      if (result.outcome?.kind === 'appended') committed.push(...result.outcome.appended.events);
    }
    if (committed.length > 0) {
      for (const listener of this.listeners) {
        try {
          listener(committed);
        } catch {
          // A listener (the live hub) must never turn a committed write into a failure.
        }
      }
    }
    results.forEach((result, index) => {
      const item = items[index];
      if (!item) return;
      if (result.outcome) item.resolve(result.outcome);
      else item.reject(result.error);
    });
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
    const now = this.clock();
    const recordedAt = now.toISOString();
    const metadataText = JSON.stringify(request.metadata);
    const metadataCanonical = canonicalJson(request.metadata);
    const events: StoredEvent[] = [];
    let { position, hash } = head;
    let version = current;
    for (const event of request.events) {
      position += 1;
      version += 1;
      const stored: StoredEvent = {
        position,
        id: eventId(now.getTime()),
        streamId: request.streamId,
        version,
        type: event.type,
        data: event.data,
        metadata: request.metadata,
        recordedAt,
        prevHash: hash,
        hash: '',
      };
      stored.hash = chainHash(hash, stored, metadataCanonical);
      this.insert.run(
        position,
        stored.id,
        request.streamId,
        version,
        event.type,
        JSON.stringify(event.data),
        metadataText,
        recordedAt,
        hash,
        stored.hash,
      );
      for (const projection of this.projections) projection.apply(stored);
      events.push(stored);
      hash = stored.hash;
    }
    return {
      appended: { streamId: request.streamId, version, position, events, receipt: { position, hash } },
      recordedAt,
    };
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

export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === 0) ||
    (expected === 'exists' && actual > 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new VersionConflict(streamId, expected, actual);
}
