import { sql } from 'kysely';
import type { Sqlite } from '../eventStore/database';
import { type Params, prepare } from '../db/statements';
import type { ProposalStatus } from './events';
import { headPosition, type ProposalRow, toSummary, withHead } from './proposalRows';
import type { SearchHit } from './search/pgSearch';
import { ftsQuery, searchHits } from './search/search';
import type { SearchTables } from './search/searchTables';
import type { ProposalSummary } from './views';

export interface ProposalListQuery {
  groupId: string;
  /** False for observers: `members` proposals are not in their lists, counts or search. */
  includeMembers: boolean;
  status?: ProposalStatus | undefined;
  pillar?: string | undefined;
  q?: string | undefined;
  limit: number;
  /** Newest first by submission: `before` is the last seen submission's sequence number. */
  before?: number | undefined;
  /** Search results in rank order: `offset` into them. */
  offset?: number | undefined;
  /** With `q` on PostgreSQL: the matching proposals and their ranks, found there (`PgSearch.hits`). */
  hits?: readonly SearchHit[] | undefined;
}

type ListParams = {
  groupId: string;
  status: ProposalStatus;
  pillar: string;
  before: number;
  match: string;
  hits: string;
  limit: number;
  offset: number;
};
type Filters = Pick<ProposalListQuery, 'includeMembers' | 'status' | 'pillar' | 'before'>;

/**
 * The statement of one shape of list (which filters it has), and where its search hits come from: the
 * given FTS5 tables, or a JSON array of hits found on PostgreSQL (`'hits'`).
 */
function listStatement(sqlite: Sqlite, filters: Filters, search: readonly string[] | 'hits' | undefined) {
  return prepare(sqlite, (db, p: Params<ListParams>) => {
    const hits =
      search === 'hits'
        ? // JSON functions: the hits travel as one array of [proposal id, rank].
          sql<{
            proposal_id: string;
            rank: number;
          }>`(SELECT value ->> 0 AS proposal_id, value ->> 1 AS rank FROM json_each(${p.hits}))`
        : // FTS5: each proposal's best row, whether its text or one of its comments matched.
          sql<{ proposal_id: string; rank: number }>`${sql.raw(searchHits(search ?? []))}`;
    let query =
      search === undefined
        ? withHead(db).orderBy('p.seq', 'desc')
        : (search === 'hits'
            ? // CROSS JOIN keeps the hits the outer loop in SQLite (each a look-up by id); joined the other way,
              // every proposal of the group would scan the JSON array again.
              db.selectFrom(hits.as('s')).crossJoin('proposals as p').whereRef('p.id', '=', 's.proposal_id')
            : db.selectFrom(hits.as('s')).innerJoin('proposals as p', 'p.id', 's.proposal_id')
          )
            .leftJoin('events as h', (join) => join.on('h.position', '=', headPosition))
            .selectAll('p')
            .select(['h.version as head_version', 'h.recorded_at as head_at', 's.rank as rank'])
            .orderBy('s.rank')
            .orderBy('p.seq', 'desc');
    query = query.where('p.group_id', '=', p.groupId);
    if (!filters.includeMembers) query = query.where('p.visibility', '=', sql.lit('dialogue'));
    if (filters.status) query = query.where('p.status', '=', p.status);
    // JSON function: the pillars are stored as a JSON array.
    if (filters.pillar)
      query = query.where(sql<boolean>`EXISTS (SELECT 1 FROM json_each(p.pillars) WHERE value = ${p.pillar})`);
    if (filters.before !== undefined) query = query.where('p.seq', '<', p.before);
    return query.limit(p.limit).offset(p.offset);
  });
}

/**
 * A group's proposal lists: each shape of list (its filters) is compiled once, on first use; a search's
 * statement on SQLite names the caller's search tables, so it is prepared per search.
 */
export function proposalList(sqlite: Sqlite, tables: SearchTables) {
  const shapes = new Map<string, ReturnType<typeof listStatement>>();
  const statementOf = (filters: Filters, search: 'hits' | undefined) => {
    const key = `${filters.includeMembers}/${Boolean(filters.status)}/${Boolean(filters.pillar)}/${filters.before !== undefined}/${search}`;
    let statement = shapes.get(key);
    if (!statement) {
      statement = listStatement(sqlite, filters, search);
      shapes.set(key, statement);
    }
    return statement;
  };
  /** One page of a group's proposal summaries, newest first, or by relevance when searching. */
  return (query: ProposalListQuery): { items: ProposalSummary[]; seq: number[] } => {
    const bound: Partial<ListParams> = { groupId: query.groupId, limit: query.limit, offset: query.offset ?? 0 };
    if (query.status) bound.status = query.status;
    if (query.pillar) bound.pillar = query.pillar;
    if (query.before !== undefined) bound.before = query.before;
    let statement: ReturnType<typeof listStatement> | undefined;
    if (query.q !== undefined && query.hits !== undefined) {
      if (query.hits.length === 0) return { items: [], seq: [] };
      bound.hits = JSON.stringify(query.hits);
      statement = statementOf(query, 'hits');
    } else if (query.q !== undefined) {
      const match = ftsQuery(query.q, 'all');
      // Only the group's tables the caller may see in whole: their statistics are all its scores rest on.
      const visible = tables.visible([query.groupId], query.includeMembers);
      if (match === null || visible.length === 0) return { items: [], seq: [] };
      bound.match = match;
      statement = listStatement(sqlite, query, visible);
    }
    // A statement binds only the parameters its shape names: those `bound` holds.
    const rows: ProposalRow[] = (statement ?? statementOf(query, undefined)).all(bound as ListParams);
    return { items: rows.map(toSummary), seq: rows.map((row) => row.seq) };
  };
}
