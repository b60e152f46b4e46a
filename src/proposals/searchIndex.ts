import type { Statement } from 'better-sqlite3';
import type { Visibility } from '../dialogue/visibility';
import type { Sqlite } from '../eventStore/database';
import { configureFts5, FTS5_REBUILD, fts5Settings, type Projection, tableDefinition } from '../eventStore/projections';
import type { EventReader } from '../eventStore/read';
import { isUnavailable } from '../eventStore/store';
import type { StoredEvent } from '../eventStore/types';
import type { CommentPosted, ProposalRevised, ProposalSubmitted } from './events';
import { SearchBuild } from './searchBuild';
import { fillTables, searchFill } from './searchFill';
import { searchTables } from './searchTables';

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

/**
 * FTS5 options while a rebuild fills `count` tables at once: the rebuild's, with its memory for pending
 * entries shared between them (each table holds its own until it flushes), so that filling several tables
 * takes no more memory than filling one did.
 */
function rebuildSettings(count: number): Record<string, number> {
  return { ...FTS5_REBUILD, hashsize: Math.max(1024 * 1024, Math.floor(FTS5_REBUILD.hashsize / Math.max(1, count))) };
}

/**
 * The full-text index of proposals and comments, kept **after** the commit instead of inside it: the index
 * follows the log, and the durable append of a comment does not pay for writing an FTS5 segment (profiled:
 * that doubled the pages an append commits, and per-commit FTS5 segments cost more than the rest of the
 * projections together). Batched, text is indexed once per `FOLLOW_DELAY_MS` in one transaction.
 *
 * It is one FTS5 table per group and visibility (`searchTables`), so that a search reads only text the
 * caller may see, and bm25's statistics (how many rows hold a word, how long they are) come from that text
 * alone: hidden text moves neither a score nor an order.
 *
 * Searches never see it lag: every search calls `catchUp()` first, which indexes whatever the log holds
 * beyond the index's recorded position, in one step. The position is stored in the same transaction as the
 * rows (`projection_positions`), so a crash between a commit and its indexing loses nothing: the next
 * `catchUp()` (at start-up at the latest) indexes the rest from the log. The index follows the log itself,
 * not this process's commits, so events appended by another process are indexed too.
 *
 * Rows use the submitting event's position as rowid for a proposal's text and the comment's own position
 * for a comment, so a revision replaces its proposal's row by rowid instead of scanning the index (a
 * proposal's group and visibility never change, so neither does its table). The index holds no copy of the
 * text (FTS5 `content=''`): a hit's proposal is the stream of the event at its rowid (`searchHits` in
 * search.ts), and a proposal's row is the one whose rowid is its `seq`.
 */
export class SearchIndex {
  /** For `rebuildProjections`: empties the index with the views and fills it once from them at the end. */
  readonly projection: Projection;
  private timer: NodeJS.Timeout | undefined;
  private readonly positionOf;
  private readonly setPosition;
  private readonly pending;
  private readonly seqOf;
  /** Each table's insert and delete, by table name (a table dropped and created again re-prepares them). */
  private readonly writers = new Map<
    string,
    { insert: Statement<[number, string, string]>; remove: Statement<[number]> }
  >();
  private readonly follow;
  /** During a rebuild of a database with a file: the comments' index, built on a second thread. */
  private build: SearchBuild | string | undefined;
  /** The head the running rebuild replays to. */
  private rebuildHead = 0;
  /** How the last rebuild filled the index: on a second thread, or in its transaction (and why). */
  lastRebuild: { thread: boolean; reason?: string } | undefined;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly reader: EventReader,
  ) {
    this.positionOf = sqlite.prepare<[string], { position: number }>(
      'SELECT position FROM projection_positions WHERE name = ?',
    );
    this.setPosition = sqlite.prepare<[string, number]>(
      'INSERT INTO projection_positions (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    this.pending = sqlite
      .prepare<[number, number, number], [number, string, string]>(
        `SELECT position, type, data FROM events
          WHERE position > ? AND position <= ? AND type IN (${INDEXED_TYPES.map((type) => `'${type}'`).join(', ')})
          ORDER BY position LIMIT ?`,
      )
      .raw(true);
    this.seqOf = sqlite.prepare<[string], { seq: number }>('SELECT seq FROM proposals WHERE id = ?');
    this.follow = sqlite.transaction(() => this.followInTransaction());
    this.projection = this.rebuildProjection();
  }

  /**
   * The index as `rebuildProjections` sees it: its tables are the registered ones (emptied with the views),
   * filled at the end from the final proposals and the log's comments, in rowid order (a proposal's row
   * holds its latest text under its first position, a comment's its body under its own). Nothing inline,
   * nor event by event in a rebuild: measured, indexing comments as the replay reaches them, which spares
   * the fill its sort, was slower on the 1,000,000-event log than one bulk fill. With a file, the comments'
   * part is built on a second thread during the replay (SearchBuild).
   */
  private rebuildProjection(): Projection {
    const sqlite = this.sqlite;
    return {
      name: 'search',
      get tables() {
        return searchTables.all(sqlite).map((table) => table.name);
      },
      rebuildTypes: new Set<string>(),
      apply: () => undefined,
      prepareRebuild: () => {
        const definitions = new Map<string, string>();
        for (const { name } of searchTables.all(sqlite)) {
          const definition = tableDefinition(sqlite, name);
          if (definition !== undefined) definitions.set(name, definition);
        }
        this.build = SearchBuild.prepare(sqlite, definitions);
      },
      beginRebuild: (head) => {
        this.rebuildHead = head;
        const tables = searchTables.all(sqlite);
        const settings = rebuildSettings(tables.length);
        for (const table of tables) configureFts5(sqlite, table.name, settings);
        // A comment's row is its body under its own position: the same rows the fill takes from the log.
        const fill = searchFill({ comments: 'log.events', proposals: false }, tables);
        const perTable = tables.flatMap((table) => fts5Settings(table.name, settings));
        if (this.build instanceof SearchBuild) this.build.start(head, perTable, fill);
      },
      endRebuild: (completed) => {
        if (!completed) return;
        const build = this.build;
        const built = build instanceof SearchBuild && build.ready() ? build : undefined;
        // Every table the fill needs, those of groups and visibilities first seen in this rebuild too.
        const tables = searchTables.withText(sqlite);
        const settings = rebuildSettings(tables.length);
        for (const { name } of tables) {
          if (built?.tables.includes(name)) built.copyInto(name);
          configureFts5(sqlite, name, settings);
        }
        fillTables(sqlite, this.rebuildHead, tables, new Set(built?.tables));
        if (built) {
          this.lastRebuild = { thread: true };
        } else {
          const reason = build instanceof SearchBuild ? build.failure : build;
          this.lastRebuild = { thread: false, reason: reason ?? 'the build thread did not finish' };
        }
        this.setPosition.run(NAME, this.rebuildHead);
      },
      finishRebuild: () => {
        if (this.build instanceof SearchBuild) this.build.dispose();
        this.build = undefined;
      },
    };
  }

  /** For the store's commit listener: schedules indexing when committed events carry text. */
  committed(events: readonly StoredEvent[]): void {
    if (this.timer || !events.some((event) => INDEXED.has(event.type))) return;
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
   * Indexes everything the log holds beyond the index's position. Cheap when there is nothing to do; inside
   * another transaction (a command's response computed before its commit) it joins it as a savepoint.
   */
  catchUp(): void {
    if (this.position() >= this.head()) return;
    if (this.sqlite.inTransaction) {
      this.follow();
      return;
    }
    // Its own commits need no fsync: what a crash takes from them is indexed again from the log, and the
    // next durable commit's fsync of the WAL carries them anyway (profiled: an fsync every 50 ms on the
    // main thread delayed live fan-out). The log's own commits keep their setting.
    const synchronous = Number(this.sqlite.pragma('synchronous', { simple: true }));
    this.sqlite.pragma('synchronous = NORMAL');
    try {
      this.follow.immediate();
    } finally {
      this.sqlite.pragma(`synchronous = ${synchronous}`);
    }
  }

  /**
   * `catchUp` for searches: when the log cannot be written just now (locked by another process past the
   * busy timeout, disk full), the index is left as it stands and the search answers from it, rather than
   * failing a read (or a submit that has already committed) over the index.
   */
  catchUpIfPossible(): void {
    try {
      this.catchUp();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
    }
  }

  /**
   * What `read` answers while a new proposal's text is indexed as its submission would index it: under the
   * next log position, in its group's table of its visibility (created if it has none), after whatever the
   * log holds. bm25 ranks by its table's statistics (rows, lengths, rows holding each word), which the new
   * text changes, so a preview of a submission's similar proposals must see it there. The text is never
   * kept: it is written inside a transaction that is rolled back, which records nothing.
   */
  withProposal<T>(
    proposal: { groupId: string; visibility: Visibility; title: string; body: string },
    read: (seq: number) => T,
  ): T {
    // What the log holds is committed first, so that the rollback takes back only the new text.
    this.catchUpIfPossible();
    const nested = this.sqlite.inTransaction;
    this.sqlite.exec(nested ? 'SAVEPOINT proposal_preview' : 'BEGIN IMMEDIATE');
    try {
      this.catchUp();
      const seq = this.head() + 1;
      this.writerOf(searchTables.ensure(this.sqlite, proposal.groupId, proposal.visibility)).insert.run(
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
    return this.positionOf.get(NAME)?.position ?? 0;
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
      for (const table of searchTables.all(this.sqlite))
        this.sqlite.exec(`INSERT INTO ${table.name} (${table.name}) VALUES ('delete-all')`);
      fillTables(this.sqlite, head, searchTables.withText(this.sqlite), new Set());
      after = head;
    }
    while (after < head) {
      const rows = this.pending.all(after, head, PAGE);
      for (const [position, type, text] of rows) this.index(position, type, JSON.parse(text) as IndexedData);
      after = rows.length < PAGE ? head : (rows[rows.length - 1]?.[0] ?? head);
    }
    this.setPosition.run(NAME, head);
  }

  private index(position: number, type: string, data: IndexedData): void {
    const { insert, remove } = this.writerOf(searchTables.ensure(this.sqlite, data.groupId, data.visibility));
    if (type === 'CommentPosted' && 'commentId' in data) {
      insert.run(position, '', data.body);
    } else if (type === 'ProposalSubmitted' && 'title' in data) {
      insert.run(position, data.title, data.body);
    } else if (type === 'ProposalRevised' && 'title' in data) {
      const seq = this.seqOf.get(data.proposalId)?.seq;
      if (seq === undefined) return;
      remove.run(seq);
      insert.run(seq, data.title, data.body);
    }
  }

  private writerOf(table: string) {
    let writer = this.writers.get(table);
    if (!writer) {
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
