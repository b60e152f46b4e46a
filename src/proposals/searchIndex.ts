import type { Sqlite } from '../eventStore/database';
import { configureFts5, fts5Settings, type Projection, tableDefinition } from '../eventStore/projections';
import type { EventReader } from '../eventStore/read';
import { isUnavailable } from '../eventStore/store';
import type { StoredEvent } from '../eventStore/types';
import type { CommentPosted, ProposalRevised, ProposalSubmitted } from './events';
import { SearchBuild } from './searchBuild';

/** The events that put text in the search index. */
const INDEXED_TYPES = ['ProposalSubmitted', 'ProposalRevised', 'CommentPosted'] as const;
const INDEXED: ReadonlySet<string> = new Set(INDEXED_TYPES);

/** Its row in `projection_positions`: the last log position the index has followed. */
const NAME = 'proposal_search';

/** How long committed text may wait before it is indexed, when nobody searches meanwhile. */
const FOLLOW_DELAY_MS = 50;

/** Events read from the log per step of a catch-up, so that a long backlog never sits in memory at once. */
const PAGE = 5_000;

/** The build thread's fill (SearchBuild): every comment up to the rebuild's head, from the log attached as `log`. */
const COMMENTS_FROM_LOG = `INSERT INTO ${NAME} (rowid, title, body)
  SELECT position, '', data ->> '$.body' FROM log.events WHERE position > ? AND position <= ? AND type = 'CommentPosted' ORDER BY position`;

type IndexedData = ProposalSubmitted['data'] | ProposalRevised['data'] | CommentPosted['data'];

/**
 * The full-text index of proposals and comments (`proposal_search`, FTS5), kept **after** the commit
 * instead of inside it: the index follows the log, and the durable append of a comment does not pay for
 * writing an FTS5 segment (profiled: that doubled the pages an append commits, and per-commit FTS5
 * segments cost more than the rest of the projections together). Batched, text is indexed once per
 * `FOLLOW_DELAY_MS` in one transaction.
 *
 * Searches never see it lag: every search calls `catchUp()` first, which indexes whatever the log holds
 * beyond the index's recorded position, in one step. The position is stored in the same transaction as the
 * rows (`projection_positions`), so a crash between a commit and its indexing loses nothing: the next
 * `catchUp()` (at start-up at the latest) indexes the rest from the log. The index follows the log itself,
 * not this process's commits, so events appended by another process are indexed too.
 *
 * Rows use the submitting event's position as rowid for a proposal's text and the comment's own position
 * for a comment, so a revision replaces its proposal's row by rowid instead of scanning the index. The
 * index holds no copy of the text (FTS5 `content=''`): a hit's proposal is the stream of the event at its
 * rowid (`SEARCH_HITS` in search.ts), and a proposal's row is the one whose rowid is its `seq`.
 */
export class SearchIndex {
  /** For `rebuildProjections`: empties the index with the views and fills it once from them at the end. */
  readonly projection: Projection;
  private timer: NodeJS.Timeout | undefined;
  private readonly positionOf;
  private readonly setPosition;
  private readonly pending;
  private readonly seqOf;
  private readonly insert;
  private readonly remove;
  private readonly follow;
  /** During a rebuild of a database with a file: the comments' index, built on a second thread. */
  private build: SearchBuild | string | undefined;
  /** How the last rebuild filled the index: on a second thread, or in its transaction (and why). */
  lastRebuild: { thread: boolean; reason?: string } | undefined;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly reader: EventReader,
  ) {
    this.positionOf = sqlite.prepare<[string], { position: number }>('SELECT position FROM projection_positions WHERE name = ?');
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
    this.insert = sqlite.prepare<[number, string, string]>('INSERT INTO proposal_search (rowid, title, body) VALUES (?, ?, ?)');
    this.remove = sqlite.prepare<[number]>('DELETE FROM proposal_search WHERE rowid = ?');
    this.follow = sqlite.transaction(() => this.followInTransaction());
    // A rebuild fills the index from the final proposals and the log's comments, in rowid order: the same
    // rows (a proposal's row holds its latest text under its first position, a comment's its body under its
    // own).
    const proposalRows = 'SELECT seq, title, body FROM proposals';
    const fill = sqlite.prepare(
      `INSERT INTO proposal_search (rowid, title, body) ${proposalRows}
       UNION ALL SELECT position, '', data ->> '$.body' FROM events WHERE type = 'CommentPosted' ORDER BY 1`,
    );
    // With the comments built on a second thread: the proposals' rows only.
    const fillProposals = sqlite.prepare(`INSERT INTO proposal_search (rowid, title, body) ${proposalRows} ORDER BY seq`);
    this.projection = {
      name: 'search',
      tables: [NAME],
      // Nothing inline, nor event by event in a rebuild: the index follows the log after commits, and a
      // rebuild fills it at the end (measured: indexing comments as the replay reaches them, which spares
      // the fill its sort, was slower on the 1,000,000-event log than this one bulk insert). With a file,
      // the comments' part is built on a second thread during the replay (SearchBuild).
      rebuildTypes: new Set<string>(),
      apply: () => undefined,
      prepareRebuild: () => {
        const definition = tableDefinition(sqlite, NAME);
        this.build = definition === undefined ? undefined : SearchBuild.prepare(sqlite, definition);
      },
      beginRebuild: (head) => {
        // A comment's row is its body under its own position: the same rows the fill takes from the log.
        if (this.build instanceof SearchBuild) this.build.start(head, fts5Settings(NAME), COMMENTS_FROM_LOG);
      },
      endRebuild: (completed) => {
        if (!completed) return;
        const build = this.build;
        if (build instanceof SearchBuild && build.ready()) {
          build.copyInto(NAME);
          configureFts5(sqlite, NAME);
          fillProposals.run();
          this.lastRebuild = { thread: true };
        } else {
          fill.run();
          const reason = build instanceof SearchBuild ? build.failure : build;
          this.lastRebuild = { thread: false, reason: reason ?? 'the index has no stored definition' };
        }
        this.setPosition.run(NAME, this.head());
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
    while (after < head) {
      const rows = this.pending.all(after, head, PAGE);
      for (const [position, type, text] of rows) this.index(position, type, JSON.parse(text) as IndexedData);
      after = rows.length < PAGE ? head : (rows[rows.length - 1]?.[0] ?? head);
    }
    this.setPosition.run(NAME, head);
  }

  private index(position: number, type: string, data: IndexedData): void {
    if (type === 'CommentPosted' && 'commentId' in data) {
      this.insert.run(position, '', data.body);
    } else if (type === 'ProposalSubmitted' && 'title' in data) {
      this.insert.run(position, data.title, data.body);
    } else if (type === 'ProposalRevised' && 'title' in data) {
      const seq = this.seqOf.get(data.proposalId)?.seq;
      if (seq === undefined) return;
      this.remove.run(seq);
      this.insert.run(seq, data.title, data.body);
    }
  }
}
