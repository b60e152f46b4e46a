import type { Sqlite } from './database';

/**
 * Whether copies of the views kept in memory (authenticated tokens, where an entity takes part, the folds
 * of streams) still hold. The generation moves when another connection has committed to the database
 * since it was last checked (SQLite's `data_version`: another process issuing or revoking a token, a
 * second server, a rebuild) and when this connection commits a change to the reference data (the tokens
 * and directory projections call `changed()`).
 *
 * `check()` reads `data_version`, one statement, where the look-ups it stands for were one each. An HTTP
 * request reads it once, as it is authenticated (`request.viewGeneration`), and its other look-ups go by
 * that: a request sees the views as they stood at a moment between its arrival and its answer, so a
 * revocation or a removal committed elsewhere takes effect from the next request on, as before. (The
 * check that authorises a command is not inside the commit of its events, with or without kept views: a
 * removal committed by another process while a command is in flight is ordered after it.) Within a stretch
 * of synchronous code, `check()` reads once: what runs without yielding acts at one instant.
 */
export class ViewGeneration {
  private readonly dataVersion;
  private seen: number | undefined;
  private value = 0;
  private checked = false;
  private readonly uncheck = () => {
    this.checked = false;
  };

  constructor(sqlite: Sqlite) {
    // Raw SQL: a pragma, prepared once (better-sqlite3's pragma() would prepare it at every call).
    this.dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** The current generation, after looking for commits by other connections. */
  check(): number {
    if (!this.checked) {
      // Read first: a read that throws (a busy database) must not leave a memo behind it.
      const version = this.dataVersion.get();
      this.checked = true;
      queueMicrotask(this.uncheck);
      if (version !== this.seen) {
        this.seen = version;
        this.value += 1;
      }
    }
    return this.value;
  }

  /**
   * The generation as last checked, without reading: what is read from the views now reflects at least
   * every commit that generation stands for.
   */
  current(): number {
    return this.value;
  }

  /** This connection changed what the kept copies hold (called inside the transaction that does). */
  changed(): void {
    this.value += 1;
  }
}

/**
 * Values read from the views, kept while the view generation stands: all are forgotten when a newer
 * generation is asked for (an older one is served by what was read since, which is newer than it needs),
 * and when `limit` of them are kept.
 */
export class KeptViews<K, V> {
  private readonly values = new Map<K, V>();
  private at = -1;

  constructor(private readonly limit: number) {}

  /** The value kept for `key`, if it still holds at `generation`. */
  get(key: K, generation: number): V | undefined {
    if (generation > this.at || this.values.size >= this.limit) {
      this.values.clear();
      this.at = Math.max(generation, this.at);
    }
    return this.values.get(key);
  }

  /** Keeps a value just read from the views (after `get` for the same generation). */
  set(key: K, value: V): void {
    this.values.set(key, value);
  }
}
