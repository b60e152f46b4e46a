import pg from 'pg';
import { IdempotencyKeyReused, StoreUnavailable } from '../../errors';
import { type LocalLog, planBatch } from './batch';
import { type KeptRow, planLocked } from './locked';
import { writeAndCommit, writeAtHead } from './writes';
import { EVENT_COLUMN_NAMES, type RawEventRow } from '../rawRows';
import type { AppendRequest, KeptResponse, Receipt, StoredEvent } from '../types';
import type { BatchItemResult } from './batch';
import { migratePostgres } from './migrate';
import { isPostgresUnavailable } from './unavailable';

export interface PgLogOptions {
  url: string;
  /** Connections this instance may hold (the appends use one at a time; reads and the tail the rest). */
  poolSize: number;
  /** How long a request waits for a free connection or a new one before it is a 503. */
  connectTimeoutMs: number;
  /** Longest any statement may run, on the server (statement_timeout) and on the client (query_timeout). */
  statementTimeoutMs: number;
  migrate?: boolean;
}

export interface BatchResult {
  items: BatchItemResult[];
  /** The log's head when the batch committed: the replica catches up to it before answering. */
  head: Receipt;
}

const COLUMNS = EVENT_COLUMN_NAMES.join(', ');
const UNIQUE_VIOLATION = '23505';

function rowToEvent(row: Record<string, string | number>): StoredEvent {
  return {
    position: Number(row.position),
    id: String(row.id),
    streamId: String(row.stream_id),
    version: Number(row.version),
    type: String(row.type),
    data: JSON.parse(String(row.data)) as StoredEvent['data'],
    metadata: JSON.parse(String(row.metadata)) as StoredEvent['metadata'],
    recordedAt: String(row.recorded_at),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

/**
 * The log in PostgreSQL, shared by every instance: the events, the chain's head, the idempotency keys.
 * A batch of appends is one transaction that first locks the head row, so appends from every instance are
 * serialised there: the expected versions are checked, positions continue and the chain links under that
 * lock, and the database's own triggers check all three again. Views are not here: each instance folds
 * the log into its own replica (src/eventStore/store.ts).
 */
export class PgLog {
  readonly pool: pg.Pool;
  /** The channel `NOTIFY` wakes the tails on: one per schema, so that logs sharing a database stay apart. */
  channel = 'dialogue_log';
  /** Batches this instance committed, by the way they were decided (the metrics, the bench). */
  readonly batches = { head: 0, locked: 0 };

  private constructor(private readonly options: PgLogOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs,
      query_timeout: options.statementTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      // A connection dropped by a restarting server is an error event on an idle client: logged by its
      // user, never an uncaught exception that stops the process.
      allowExitOnIdle: false,
    });
    this.pool.on('error', () => {
      // An idle client lost its connection (the server restarted): the pool drops it and opens another.
    });
  }

  static async open(options: PgLogOptions): Promise<PgLog> {
    const log = new PgLog(options);
    try {
      if (options.migrate !== false) await migratePostgres(log.pool);
      const schema = await log.pool.query<{ schema: string }>('SELECT current_schema() AS schema');
      log.channel = `dialogue_log_${schema.rows[0]?.schema ?? 'public'}`;
      return log;
    } catch (error) {
      await log.pool.end().catch(() => undefined);
      throw error;
    }
  }

  get url(): string {
    return this.options.url;
  }

  async head(): Promise<Receipt> {
    const result = await this.pool.query<{ position: string; hash: string }>({
      name: 'dialogue_head',
      text: 'SELECT position, hash FROM log_head WHERE id = 1',
    });
    const row = result.rows[0];
    return row ? { position: Number(row.position), hash: row.hash } : { position: 0, hash: '0'.repeat(64) };
  }

  /** Up to `limit` events after `after`, in position order. */
  async read(after: number, limit: number): Promise<StoredEvent[]> {
    const result = await this.pool.query({
      name: 'dialogue_read',
      text: `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      values: [after, limit],
    });
    return result.rows.map(rowToEvent);
  }

  /** Up to `limit` rows after `after` as stored (data and metadata as their JSON text), in position order. */
  async readRows(after: number, limit: number): Promise<RawEventRow[]> {
    const result = await this.pool.query<RawEventRow>({
      name: 'dialogue_read_rows',
      text: `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      values: [after, limit],
      rowMode: 'array',
    });
    // bigint columns arrive as strings from pg.
    return result.rows.map((row) => {
      row[0] = Number(row[0]);
      row[3] = Number(row[3]);
      return row;
    });
  }

  /**
   * Appends a batch in one transaction; a refused append (version, key) refuses only itself. With `local`
   * (the instance's replica), a batch it accepts whole is first tried in one round trip at the replica's
   * head (writeAtHead); if another instance appended since, it is decided again under the head's lock.
   */
  async appendBatch(requests: readonly AppendRequest[], now: Date, local?: LocalLog): Promise<BatchResult> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw isPostgresUnavailable(error) ? new StoreUnavailable() : error;
    }
    let broken: unknown;
    // From the first write on, an unanswered statement may have committed.
    let committing = false;
    // A checked-out client whose connection drops emits 'error': unheard, it would stop the process.
    const onLost = (error: Error) => {
      broken = error;
    };
    client.on('error', onLost);
    try {
      committing = local !== undefined;
      const done = local && (await this.appendAtHead(client, requests, now, local));
      if (done) {
        this.batches.head += 1;
        return done;
      }
      committing = false;
      const plan = await planLocked(client, requests, now);
      committing = true;
      if (plan.rows.length > 0) await writeAndCommit(client, plan, this.channel);
      else await client.query('COMMIT');
      this.batches.locked += 1;
      return { items: plan.items, head: plan.head };
    } catch (error) {
      broken = error;
      // After a refused statement the transaction is still open (aborted): closed here. After a lost
      // connection this fails too, and the pool drops the client.
      await client.query('ROLLBACK').catch(() => undefined);
      if (!isPostgresUnavailable(error)) throw error;
      // A write that got no answer may have committed: the client must not take it for "nothing recorded".
      // Also after a server's error that ends its backend (57P01): whether it committed is not known here.
      throw committing
        ? new StoreUnavailable('the log did not confirm this write; retry with the same Idempotency-Key')
        : new StoreUnavailable();
    } finally {
      client.removeListener('error', onLost);
      client.release(broken instanceof Error && isPostgresUnavailable(broken) ? broken : undefined);
    }
  }

  /**
   * The one-round-trip path: only a batch the replica accepts whole (a refusal there may come from a
   * replica behind the log, and a repeated key is answered from the log's record under the lock). A key or
   * claim taken meanwhile aborts the statement (unique violation): then the locked path decides.
   */
  private async appendAtHead(
    client: pg.PoolClient,
    requests: readonly AppendRequest[],
    now: Date,
    local: LocalLog,
  ): Promise<BatchResult | undefined> {
    const head = local.head();
    const versions = new Map(requests.map((request) => [request.streamId, local.version(request.streamId)]));
    const plan = planBatch(requests, head, { versions, kept: new Map(), held: new Set() }, now);
    if (plan.rows.length === 0 || plan.items.some((item) => item.error !== undefined)) return undefined;
    try {
      return (await writeAtHead(client, plan, head, this.channel)) ? { items: plan.items, head: plan.head } : undefined;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }

  /** The first response kept under a key, or undefined (the command layer's early answer to a repeat). */
  async replay(request: { key: string; fingerprint: string }): Promise<KeptResponse | undefined> {
    const result = await this.pool.query<KeptRow>({
      name: 'dialogue_kept_one',
      text: 'SELECT fingerprint, status_code, body FROM idempotency_keys WHERE key = $1',
      values: [request.key],
    });
    const row = result.rows[0];
    if (!row) return undefined;
    if (row.fingerprint !== request.fingerprint) throw new IdempotencyKeyReused();
    return { statusCode: row.status_code, body: JSON.parse(row.body) as Record<string, unknown> };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
