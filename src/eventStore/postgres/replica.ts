import type { Clock } from '../../config';
import { eventHash } from '../hash';
import type { EventReader } from '../read';
import type { IdempotencyLedger, Pending, Receipt, StoredEvent } from '../types';
import type { LocalLog } from './batch';
import type { BatchResult, PgLog } from './pgLog';

/** Most events a replica reads from the shared log in one query while catching up. */
const REPLICA_PAGE = 2000;

export interface ReplicaHooks {
  /** The next appends waiting in the store's queue (at most one batch). */
  take(): Pending[];
  /** Inserts and projects events into the local database in one transaction, then tells the listeners. */
  apply(events: readonly StoredEvent[]): void;
  /** Told each batch's number of appends and its seconds in PostgreSQL (the metrics). */
  batched(appends: number, seconds: number): void;
  /** A stream's version in the replica, 0 when it has none. */
  version(streamId: string): number;
}

/**
 * An instance's side of the PostgreSQL store. A group commit is one transaction in PostgreSQL
 * (./pgLog.ts); the local SQLite database is the instance's replica of the log and its views: committed
 * events are inserted and projected there, in position order with every other instance's, before any
 * append is answered. One batch at a time: appends that arrive meanwhile wait and go together next.
 */
export class Replica {
  private draining = false;
  private catchingUp: Promise<void> = Promise.resolve();
  /** A catch-up to the head that has not started yet (it has not read the head). */
  private waiting: Promise<void> | undefined;
  /** This instance's batch being written to the shared log, if one is. */
  private writing: Promise<unknown> | undefined;

  constructor(
    private readonly remote: PgLog,
    private readonly reader: EventReader,
    private readonly idempotency: IdempotencyLedger,
    private readonly clock: Clock,
    private readonly hooks: ReplicaHooks,
  ) {}

  /** What the batch is first decided on (the log's state as far as this replica has folded it). */
  private readonly local: LocalLog = {
    head: () => this.reader.head(),
    version: (streamId) => this.hooks.version(streamId),
  };

  get busy(): boolean {
    return this.draining;
  }

  /** Resolves once no catch-up is running. */
  idle(): Promise<void> {
    return this.catchingUp;
  }

  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let items = this.hooks.take(); items.length > 0; items = this.hooks.take()) await this.commit(items);
    } finally {
      this.draining = false;
    }
  }

  private async commit(items: Pending[]): Promise<void> {
    let batch: BatchResult;
    const started = performance.now();
    try {
      const writing = this.remote.appendBatch(
        items.map((item) => item.request),
        this.clock(),
        this.local,
      );
      this.writing = writing;
      batch = await writing;
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    } finally {
      this.writing = undefined;
    }
    this.hooks.batched(items.length, (performance.now() - started) / 1000);
    const committed: StoredEvent[] = [];
    for (const result of batch.items) {
      if (result.outcome?.kind === 'appended') committed.push(...result.outcome.appended.events);
    }
    try {
      // Up to the head the batch saw, also when it appended nothing: a refused version means the replica
      // is behind, and the retry must decide on what the log holds.
      await this.catchUp(committed, batch.head.position);
      this.keepLocally(items, batch);
    } catch {
      // Committed in the log: acknowledged. The replica catches up at the next request or wake-up of the tail.
    }
    batch.items.forEach((result, index) => {
      const item = items[index];
      if (!item) return;
      if (result.outcome) item.resolve(result.outcome);
      else item.reject(result.error);
    });
  }

  /** The kept responses in the replica too, so that this instance answers a repeat before deciding it again. */
  private keepLocally(items: Pending[], batch: BatchResult): void {
    batch.items.forEach((result, index) => {
      const keyed = items[index]?.request.idempotency;
      if (!keyed || result.outcome?.kind !== 'appended') return;
      const { appended } = result.outcome;
      try {
        if (!this.idempotency.replay(keyed))
          this.idempotency.keep(keyed, appended, appended.events[0]?.recordedAt ?? this.clock().toISOString());
      } catch {
        // A cache: the log's own record answers repeats.
      }
    });
  }

  /**
   * Brings the replica up to `position` at least (what a tail's notification names). The notification of
   * this instance's own commit may come before the commit's answer: a batch being written is waited for
   * first, as it brings its events without a read.
   */
  async catchUpTo(position: number): Promise<void> {
    while (this.writing && this.reader.head().position < position) await this.writing.catch(() => undefined);
    if (this.reader.head().position < position) await this.catchUp([], position);
  }

  /**
   * Brings the replica up to the shared log: to `target` when given (else the log's head now), applying
   * `own` (events this instance just committed) without reading them back. Catch-ups run one at a time;
   * the listeners (live hub, folds, search) see every instance's events in position order, once.
   */
  catchUp(own: readonly StoredEvent[] = [], target?: number): Promise<void> {
    // Every request catches up first: those that arrive while a catch-up waits its turn share it, since
    // it reads the head after they all came (under load, one query for many requests, not one each).
    const toHead = own.length === 0 && target === undefined;
    if (toHead && this.waiting) return this.waiting;
    const run = this.catchingUp.then(async () => {
      if (toHead) this.waiting = undefined;
      const until = target ?? (await this.remote.head()).position;
      let local = this.reader.head().position;
      while (local < until) {
        const next = own.find((event) => event.position === local + 1);
        const page = next
          ? own.filter((event) => event.position > local)
          : await this.remote.read(local, Math.min(REPLICA_PAGE, until - local));
        if (page.length === 0) break;
        if (!next) checkLinks(page, this.reader.head());
        this.hooks.apply(page);
        local = page[page.length - 1]?.position ?? local;
      }
    });
    if (toHead) this.waiting = run;
    // A failed catch-up must not stop the next one (the chain is only an order).
    this.catchingUp = run.catch(() => undefined);
    return run;
  }
}

/**
 * What a replica reads from the shared log must continue its chain: a row rewritten in PostgreSQL behind
 * the triggers (by someone holding the owner's rights) stops the replica here rather than being folded.
 */
function checkLinks(page: readonly StoredEvent[], head: Receipt): void {
  let previous = head;
  for (const event of page) {
    if (
      event.position !== previous.position + 1 ||
      event.prevHash !== previous.hash ||
      eventHash(event.prevHash, event) !== event.hash
    )
      throw new Error(
        `the PostgreSQL log's chain is broken at position ${event.position}; nothing more is read from it. Run \`npm run audit -- verify\` and restore from a backup`,
      );
    previous = { position: event.position, hash: event.hash };
  }
}
