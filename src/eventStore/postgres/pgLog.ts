import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { PgDatabase } from '../../db/pgSchema';
import type { EventsTable } from '../../db/schema';
import { kyselyOn, pgTypes } from '../../db/pgStatements';
import { StoreUnavailable } from '../../errors';
import { type LocalLog, planBatch } from './batch';
import { planLocked } from './locked';
import { logStatements } from './statements';
import { writeAndCommit, writeAtHead } from './writes';
import type { RawEventRow } from '../rawRows';
import type { AppendRequest, Receipt, StoredEvent } from '../types';
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

const UNIQUE_VIOLATION = '23505';

function rowToEvent(row: EventsTable): StoredEvent {
  return {
    position: row.position,
    id: row.id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    data: JSON.parse(row.data) as StoredEvent['data'],
    metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
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
  /** Kysely on the same pool, for the statements that run now and then (migrations, readiness, backups). */
  readonly db: Kysely<PgDatabase>;
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
      types: pgTypes,
      // A connection dropped by a restarting server is an error event on an idle client: logged by its
      // user, never an uncaught exception that stops the process.
      allowExitOnIdle: false,
    });
    this.pool.on('error', () => {
      // An idle client lost its connection (the server restarted): the pool drops it and opens another.
    });
    // A checked-out client that loses its connection between two queries emits 'error' too: heard here,
    // it fails that client's next query (and the pool drops it), never the process.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.db = kyselyOn(this.pool);
  }

  static async open(options: PgLogOptions): Promise<PgLog> {
    const log = new PgLog(options);
    try {
      if (options.migrate !== false) await migratePostgres(log.db);
      const schema = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(log.db);
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
    const [row] = await logStatements.head.rows(this.pool, {});
    return row ?? { position: 0, hash: '0'.repeat(64) };
  }

  /** Up to `limit` events after `after`, in position order. */
  async read(after: number, limit: number): Promise<StoredEvent[]> {
    return (await logStatements.events.rows(this.pool, { after, limit })).map(rowToEvent);
  }

  /** Up to `limit` rows after `after` as stored (data and metadata as their JSON text), in position order. */
  async readRows(after: number, limit: number): Promise<RawEventRow[]> {
    const result = await this.pool.query<RawEventRow>({
      ...logStatements.events.config({ after, limit }),
      rowMode: 'array',
    });
    return result.rows;
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
    // A checked-out client whose connection drops emits 'error': remembered, so that the pool drops it.
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

  async close(): Promise<void> {
    await this.pool.end();
  }
}
