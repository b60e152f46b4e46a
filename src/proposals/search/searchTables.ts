import type { Visibility } from '../../dialogue/visibility';
import { sql } from 'kysely';
import { type Params, prepare } from '../../db/statements';
import type { Sqlite } from '../../eventStore/database';

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

function statements(sqlite: Sqlite) {
  return {
    all: prepare(sqlite, (db) =>
      db
        .selectFrom('search_tables')
        .select(['group_id as groupId', 'visibility', 'name'])
        .orderBy('group_id')
        .orderBy('visibility'),
    ),
    one: prepare(sqlite, (db, p: Params<{ groupId: string; visibility: Visibility }>) =>
      db
        .selectFrom('search_tables')
        .select('name')
        .where('group_id', '=', p.groupId)
        .where('visibility', '=', p.visibility),
    ),
    // A recursive CTE over sqlite_master (not in the schema): the next number, past every registered
    // table's, and past any table of that name left unregistered.
    nextName: sqlite
      .prepare<[], string>(
        `WITH RECURSIVE n(i) AS (
           SELECT COALESCE(MAX(CAST(substr(name, ${PREFIX.length + 1}) AS INTEGER)), 0) + 1 FROM search_tables
           UNION ALL SELECT i + 1 FROM n WHERE EXISTS (SELECT 1 FROM sqlite_master WHERE name = '${PREFIX}' || i))
         SELECT '${PREFIX}' || MAX(i) FROM n`,
      )
      .pluck(),
    register: prepare(sqlite, (db, p: Params<SearchTable>) =>
      db.insertInto('search_tables').values({ group_id: p.groupId, visibility: p.visibility, name: p.name }),
    ),
    // Every group and visibility that has text: those of the proposals (a comment's are its proposal's).
    withText: prepare(sqlite, (db) =>
      db
        .selectFrom('proposals')
        .select(['group_id as groupId', 'visibility'])
        .distinct()
        .orderBy(sql.lit(1))
        .orderBy(sql.lit(2)),
    ),
  };
}

/**
 * The registry of the search index's tables (`search_tables`): one FTS5 table per group and visibility,
 * created the first time text of that group and visibility is indexed. bm25 ranks a row by statistics of
 * the table it is in (how many rows hold each word, their lengths): a search reads only tables whose every
 * row the caller may see, so nothing it cannot see moves its scores or its order.
 *
 * Never cached in memory: a table created inside a transaction that rolls back is gone again, and another
 * process may create one at any time. Tables are never dropped (a rebuild empties them). Held by the
 * search index, which the runtime creates once.
 */
export class SearchTables {
  private prepared: ReturnType<typeof statements> | undefined;

  constructor(private readonly sqlite: Sqlite) {}

  /** Prepared on first use, once: a reader of a database from before the registry never needs them. */
  private get statements(): ReturnType<typeof statements> {
    this.prepared ??= statements(this.sqlite);
    return this.prepared;
  }

  all(): SearchTable[] {
    return this.statements.all.all();
  }

  /** The table of a group's text of one visibility, if any text of theirs was indexed. */
  of(groupId: string, visibility: Visibility): string | undefined {
    return this.statements.one.get({ groupId, visibility })?.name;
  }

  /** The table of a group's text of one visibility, created when there is none; inside a write transaction. */
  ensure(groupId: string, visibility: Visibility): string {
    const known = this.of(groupId, visibility);
    if (known !== undefined) return known;
    const name = this.statements.nextName.get() as string;
    // DDL: an FTS5 virtual table.
    this.sqlite.exec(searchTableDefinition(name));
    this.statements.register.run({ groupId, visibility, name });
    return name;
  }

  /** The table of every group and visibility that has text, created where there is none yet (inside a write transaction). */
  withText(): SearchTable[] {
    return this.statements.withText
      .all()
      .map((pair) => ({ ...pair, name: this.ensure(pair.groupId, pair.visibility) }));
  }

  /**
   * The tables a caller may read: those of the given groups (where the caller takes part, or every group
   * for an overseer), `dialogue` text only unless the caller sees `members` content.
   */
  visible(groups: readonly string[], includeMembers: boolean): string[] {
    const wanted = new Set(groups);
    return this.all()
      .filter((table) => wanted.has(table.groupId) && (includeMembers || table.visibility === 'dialogue'))
      .map((table) => table.name);
  }
}
