import type { Visibility } from '../dialogue/visibility';
import { preparedPerConnection, type Sqlite } from '../eventStore/database';

/** One table of the search index: the text of one group's proposals of one visibility, and their comments. */
export interface SearchTable {
  groupId: string;
  visibility: Visibility;
  name: string;
}

/**
 * The FTS5 definition every table of the search index shares. Porter stemming so "cybercrimes" finds
 * "cybercrime"; no copy of the text (`content=''`), and `contentless_delete=1` so that a revision replaces
 * its proposal's row.
 */
export function searchTableDefinition(name: string): string {
  return `CREATE VIRTUAL TABLE ${name} USING fts5(
      title, body, tokenize = 'porter unicode61 remove_diacritics 2', content = '', contentless_delete = 1
    )`;
}

/** Tables are numbered (a group's id may hold characters an SQL name may not): `proposal_search_<n>`. */
const PREFIX = 'proposal_search_';

function prepare(sqlite: Sqlite) {
  return {
    all: sqlite.prepare<[], SearchTable>(
      'SELECT group_id AS groupId, visibility, name FROM search_tables ORDER BY group_id, visibility',
    ),
    one: sqlite.prepare<[string, string], { name: string }>(
      'SELECT name FROM search_tables WHERE group_id = ? AND visibility = ?',
    ),
    // The next number: past every registered table's, and past any table of that name left unregistered.
    nextName: sqlite
      .prepare<[], string>(
        `WITH RECURSIVE n(i) AS (
           SELECT COALESCE(MAX(CAST(substr(name, ${PREFIX.length + 1}) AS INTEGER)), 0) + 1 FROM search_tables
           UNION ALL SELECT i + 1 FROM n WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = '${PREFIX}' || i))
         SELECT '${PREFIX}' || MAX(i) FROM n`,
      )
      .pluck(),
    register: sqlite.prepare<[string, string, string]>(
      'INSERT INTO search_tables (group_id, visibility, name) VALUES (?, ?, ?)',
    ),
    // Every group and visibility that has text: those of the proposals (a comment's are its proposal's).
    withText: sqlite.prepare<[], Pick<SearchTable, 'groupId' | 'visibility'>>(
      'SELECT DISTINCT group_id AS groupId, visibility FROM proposals ORDER BY 1, 2',
    ),
  };
}

const statementsOf = preparedPerConnection(prepare);

/**
 * The registry of the search index's tables (`search_tables`): one FTS5 table per group and visibility,
 * created the first time text of that group and visibility is indexed. bm25 ranks a row by statistics of
 * the table it is in (how many rows hold each word, their lengths): a search reads only tables whose every
 * row the caller may see, so nothing it cannot see moves its scores or its order.
 *
 * Never cached in memory: a table created inside a transaction that rolls back is gone again, and another
 * process may create one at any time. Tables are never dropped (a rebuild empties them).
 */
export const searchTables = {
  all(sqlite: Sqlite): SearchTable[] {
    return statementsOf(sqlite).all.all();
  },

  /** The table of a group's text of one visibility, if any text of theirs was indexed. */
  of(sqlite: Sqlite, groupId: string, visibility: Visibility): string | undefined {
    return statementsOf(sqlite).one.get(groupId, visibility)?.name;
  },

  /** The table of a group's text of one visibility, created when there is none; inside a write transaction. */
  ensure(sqlite: Sqlite, groupId: string, visibility: Visibility): string {
    const statements = statementsOf(sqlite);
    const known = statements.one.get(groupId, visibility)?.name;
    if (known !== undefined) return known;
    const name = statements.nextName.get() as string;
    sqlite.exec(searchTableDefinition(name));
    statements.register.run(groupId, visibility, name);
    return name;
  },

  /** The table of every group and visibility that has text, created where there is none yet (inside a write transaction). */
  withText(sqlite: Sqlite): SearchTable[] {
    return statementsOf(sqlite)
      .withText.all()
      .map((pair) => ({ ...pair, name: searchTables.ensure(sqlite, pair.groupId, pair.visibility) }));
  },

  /**
   * The tables a caller may read: those of the given groups (where the caller takes part, or every group
   * for an overseer), `dialogue` text only unless the caller sees `members` content.
   */
  visible(sqlite: Sqlite, groups: readonly string[], includeMembers: boolean): string[] {
    const wanted = new Set(groups);
    return statementsOf(sqlite)
      .all.all()
      .filter((table) => wanted.has(table.groupId) && (includeMembers || table.visibility === 'dialogue'))
      .map((table) => table.name);
  },
};
