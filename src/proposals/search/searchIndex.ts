import type { Statement } from 'better-sqlite3';
import { sql } from 'kysely';
import type { Visibility } from '../../dialogue/visibility';
import { type Params, prepare } from '../../db/statements';
import type { Sqlite } from '../../eventStore/database';
import type { Projection } from '../../eventStore/projections';
import type { EventReader } from '../../eventStore/read';
import { isUnavailable } from '../../eventStore/store';
import type { StoredEvent } from '../../eventStore/types';
import type { CommentPosted, ProposalRevised, ProposalSubmitted } from '../events';
import { fillTables } from './searchFill';
import { type LastRebuild, SearchRebuild } from './searchRebuild';
import { SearchTables } from './searchTables';

/** The events that put text in the search index. */
const INDEXED_TYPES = ['ProposalSubmitted', 'ProposalRevised', 'CommentPosted'] as const;
const INDEXED: ReadonlySet<string> = new Set(INDEXED_TYPES);

/** Its row in `projection_positions`: the last log position the index has followed. */
const NAME = 'proposal_search';

/** How long committed text may wait before it is indexed, when nobody searches meanwhile. */
const FOLLOW_DELAY_MS = 50;

/** Events read from the log per step of a catch-up, so that a long backlog never sits in memory at once. */
const PAGE = 5_000;

type IndexedData = ProposalSubmitted['data'] | ProposalRevised['data'] | CommentPosted['data'];
type Writer = { insert: Statement<[number, string, string]>; remove: Statement<[number]> };

/** The index's own statements: where it stands in the log, what it has yet to index. */
function statements(sqlite: Sqlite) {
  return {
    positionOf: prepare(sqlite, (db, p: Params<{ name: string }>) =>
      db.selectFrom('projection_positions').select('position').where('name', '=', p.name),
    ),
    setPosition: prepare(sqlite, (db, p: Params<{ name: string; position: number }>) =>
      db
        .insertInto('projection_positions')
        .values({ name: p.name, position: p.position })
        .onConflict((conflict) =>
          conflict.column('name').doUpdateSet({ position: (eb) => eb.ref('excluded.position') }),
        ),
    ),
    pending: prepare(sqlite, (db, p: Params<{ after: number; until: number; limit: number }>) =>
      db
        .selectFrom('events')
        .select(['position', 'type', 'data'])
        .where('position', '>', p.after)
        .where('position', '<=', p.until)
        .where(
          'type',
          'in',
          INDEXED_TYPES.map((type) => sql.lit(type)),
        )
        .orderBy('position')
        .limit(p.limit),
    ),
    seqOf: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('proposals').select('seq').where('id', '=', p.id),
    ),
  };
}

/**
 * The full-text index of proposals and comments, kept **after** the commit instead of inside it, so that a
 * durable append does not pay for an FTS5 segment: it follows the log, batched once per `FOLLOW_DELAY_MS`.
 *
 * One FTS5 table per group and visibility (`SearchTables`): a search reads only text the caller may see,
 * and bm25's statistics come from that text alone, so hidden text moves neither a score nor an order.
 *
 * Searches never see it lag: each calls `catchUp()` first. The position is stored with the rows
 * (`projection_positions`), so a crash loses nothing: the next `catchUp()` indexes the rest from the log,
 * whichever process appended it.
 *
 * A proposal's text is under its submission's position (a revision replaces that row), a comment under
 * its own; no copy of the text is kept (`content=''`): a hit's proposal is the stream of the event at its
 * rowid (`searchHits`).
 */
export class SearchIndex {
  /** For `rebuildProjections`: empties the index with the views and fills it once from them at the end. */
  readonly projection: Projection;
  private timer: NodeJS.Timeout | undefined;
  /** The registry of the index's tables. */
  readonly tables: SearchTables;
  private readonly statements: ReturnType<typeof statements>;
  /** Each table's insert and delete, by table name (a table dropped and created again re-prepares them). */
  private readonly writers = new Map<string, Writer>();
  private readonly follow;
  private readonly rebuild: SearchRebuild;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly reader: EventReader,
    /** False with PostgreSQL, which searches its own index (`PgSearch`): this one then indexes nothing. */
    private readonly options: { follows: boolean } = { follows: true },
  ) {
    this.tables = new SearchTables(sqlite);
    this.statements = statements(sqlite);
    this.follow = sqlite.transaction(() => this.followInTransaction());
    this.rebuild = new SearchRebuild(sqlite, this.tables, (position) =>
      this.statements.setPosition.run({ name: NAME, position }),
    );
    this.projection = this.rebuild.projection();
  }

  /** How the last rebuild filled the index: on a second thread, or in its transaction (and why). */
  get lastRebuild(): LastRebuild | undefined {
    return this.rebuild.last;
  }

  /** For the store's commit listener: schedules indexing when committed events carry text. */
  committed(events: readonly StoredEvent[]): void {
    if (!this.options.follows || this.timer || !events.some((event) => INDEXED.has(event.type))) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.catchUp();
      } catch {
        // The log cannot be written just now (the commit that scheduled this succeeded, so this is rare):
        // nothing is lost, the next search or commit catches up from the recorded position.
      }
    }, FOLLOW_DELAY_MS);
    this.timer.unref();
  }

  /**
   * Indexes everything the log holds beyond the index's position (cheap when there is nothing to do);
   * inside another transaction it joins it as a savepoint.
   */
  catchUp(): void {
    if (!this.options.follows || this.position() >= this.head()) return;
    if (this.sqlite.inTransaction) {
      this.follow();
      return;
    }
    // Its own commits need no fsync (what a crash takes is indexed again from the log, and the next durable
    // commit's fsync carries them), which spares live fan-out a pause. The log's own commits keep theirs.
    const synchronous = Number(this.sqlite.pragma('synchronous', { simple: true }));
    this.sqlite.pragma('synchronous = NORMAL');
    try {
      this.follow.immediate();
    } finally {
      this.sqlite.pragma(`synchronous = ${synchronous}`);
    }
  }

  /**
   * `catchUp` for searches: when the log cannot be written just now (locked past the busy timeout, disk
   * full), the search answers from the index as it stands rather than failing a read or a committed submit.
   */
  catchUpIfPossible(): void {
    try {
      this.catchUp();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
    }
  }

  /**
   * What `read` answers while a new proposal's text is indexed as its submission would index it (next log
   * position, its group's table of its visibility): bm25 ranks by its table's statistics, which the new text
   * changes. The text is never kept: it is written inside a transaction that is rolled back.
   */
  withProposal<T>(
    proposal: { groupId: string; visibility: Visibility; title: string; body: string },
    read: (seq: number) => T,
  ): T {
    // What the log holds is committed first, so that the rollback takes back only the new text.
    this.catchUpIfPossible();
    const nested = this.sqlite.inTransaction;
    // Transaction control by hand: the text must be written and rolled back around a read, in one stretch.
    this.sqlite.exec(nested ? 'SAVEPOINT proposal_preview' : 'BEGIN IMMEDIATE');
    try {
      this.catchUp();
      const seq = this.head() + 1;
      this.writerOf(this.tables.ensure(proposal.groupId, proposal.visibility)).insert.run(
        seq,
        proposal.title,
        proposal.body,
      );
      return read(seq);
    } finally {
      this.sqlite.exec(nested ? 'ROLLBACK TO proposal_preview; RELEASE proposal_preview' : 'ROLLBACK');
    }
  }

  /** The last log position the index holds. */
  position(): number {
    return this.statements.positionOf.get({ name: NAME })?.position ?? 0;
  }

  /** Indexes what is pending and stops following. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.catchUp();
  }

  private head(): number {
    return this.reader.head().position;
  }

  private followInTransaction(): void {
    const head = this.head();
    let after = this.position();
    if (after === 0 && head > 0) {
      // From nothing (a new database, or one whose index a migration dropped): in bulk, from the views (at
      // the head: this transaction holds the write lock) and the log's comments.
      // FTS5's own command to empty a contentless table.
      for (const table of this.tables.all())
        this.sqlite.exec(`INSERT INTO ${table.name} (${table.name}) VALUES ('delete-all')`);
      fillTables(this.sqlite, head, this.tables.withText(), new Set());
      after = head;
    }
    while (after < head) {
      const rows = this.statements.pending.all({ after, until: head, limit: PAGE });
      for (const { position, type, data } of rows) this.index(position, type, JSON.parse(data) as IndexedData);
      after = rows.length < PAGE ? head : (rows[rows.length - 1]?.position ?? head);
    }
    this.statements.setPosition.run({ name: NAME, position: head });
  }

  private index(position: number, type: string, data: IndexedData): void {
    const { insert, remove } = this.writerOf(this.tables.ensure(data.groupId, data.visibility));
    if (type === 'CommentPosted' && 'commentId' in data) {
      insert.run(position, '', data.body);
    } else if (type === 'ProposalSubmitted' && 'title' in data) {
      insert.run(position, data.title, data.body);
    } else if (type === 'ProposalRevised' && 'title' in data) {
      const seq = this.statements.seqOf.get({ id: data.proposalId })?.seq;
      if (seq === undefined) return;
      remove.run(seq);
      insert.run(seq, data.title, data.body);
    }
  }

  private writerOf(table: string) {
    let writer = this.writers.get(table);
    if (!writer) {
      // FTS5: each table is a virtual table of its own, named at run time.
      writer = {
        insert: this.sqlite.prepare<[number, string, string]>(
          `INSERT INTO ${table} (rowid, title, body) VALUES (?, ?, ?)`,
        ),
        remove: this.sqlite.prepare<[number]>(`DELETE FROM ${table} WHERE rowid = ?`),
      };
      this.writers.set(table, writer);
    }
    return writer;
  }
}
