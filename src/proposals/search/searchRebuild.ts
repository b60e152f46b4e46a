import type { Sqlite } from '../../eventStore/database';
import {
  configureFts5,
  FTS5_REBUILD,
  fts5Settings,
  type Projection,
  tableDefinition,
} from '../../eventStore/projections';
import { SearchBuild } from './searchBuild';
import { fillTables, searchFill } from './searchFill';
import type { SearchTables } from './searchTables';

/** How a rebuild filled the index: on a second thread, or in its transaction (and why). */
export type LastRebuild = { thread: boolean; reason?: string };

/**
 * FTS5 options while a rebuild fills `count` tables at once: the rebuild's, with its memory for pending
 * entries shared between them (each table holds its own until it flushes), so that filling several tables
 * takes no more memory than filling one did.
 */
function rebuildSettings(count: number): Record<string, number> {
  return { ...FTS5_REBUILD, hashsize: Math.max(1024 * 1024, Math.floor(FTS5_REBUILD.hashsize / Math.max(1, count))) };
}

/** The search index's part in a rebuild (`rebuildProjections`), and what it remembers of the last one. */
export class SearchRebuild {
  /** During a rebuild of a database with a file: the comments' index, built on a second thread. */
  private build: SearchBuild | string | undefined;
  /** The head the running rebuild replays to. */
  private head = 0;
  last: LastRebuild | undefined;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly tables: SearchTables,
    /** Records the index's position in the log, in the rebuild's transaction. */
    private readonly setPosition: (position: number) => void,
  ) {}

  /**
   * The index as `rebuildProjections` sees it: its tables are emptied with the views and filled once at the
   * end, in rowid order, from the final proposals and the log's comments (one bulk fill beats indexing as
   * the replay goes); with a file, the comments' part is built on a second thread meanwhile (SearchBuild).
   */
  projection(): Projection {
    const { sqlite, tables: registry } = this;
    return {
      name: 'search',
      get tables() {
        return registry.all().map((table) => table.name);
      },
      rebuildTypes: new Set<string>(),
      apply: () => undefined,
      prepareRebuild: () => {
        const definitions = new Map<string, string>();
        for (const { name } of this.tables.all()) {
          const definition = tableDefinition(sqlite, name);
          if (definition !== undefined) definitions.set(name, definition);
        }
        this.build = SearchBuild.prepare(sqlite, definitions);
      },
      beginRebuild: (head) => {
        this.head = head;
        const tables = this.tables.all();
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
        const tables = this.tables.withText();
        const settings = rebuildSettings(tables.length);
        for (const { name } of tables) {
          if (built?.tables.includes(name)) built.copyInto(name);
          configureFts5(sqlite, name, settings);
        }
        fillTables(sqlite, this.head, tables, new Set(built?.tables));
        if (built) {
          this.last = { thread: true };
        } else {
          const reason = build instanceof SearchBuild ? build.failure : build;
          this.last = { thread: false, reason: reason ?? 'the build thread did not finish' };
        }
        this.setPosition(this.head);
      },
      finishRebuild: () => {
        if (this.build instanceof SearchBuild) this.build.dispose();
        this.build = undefined;
      },
    };
  }
}
