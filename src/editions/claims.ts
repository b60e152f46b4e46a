import type { Sqlite } from '../eventStore/database';
import { editionStream } from './events';

/** The claim an edition's number holds across the log (`AppendRequest.claims`): no two editions share it. */
export const editionNumberClaim = (editionNumber: number): string => `edition-number:${editionNumber}`;

/**
 * Every claim a log holds, as its views say: each edition's number, held by the edition's first event.
 * PostgreSQL keeps claims in a table of their own, which is not in a backup; a restore writes them back
 * from here, for a backup of either store.
 */
export function claimsInViews(sqlite: Sqlite): { key: string; position: number }[] {
  // Raw SQL: a join on a stream id built from the edition's id, which Kysely cannot say for SQLite.
  const rows = sqlite
    .prepare<[string], { number: number; position: number }>(
      `SELECT ed.number, ev.position FROM editions ed
         JOIN events ev ON ev.stream_id = ? || ed.id AND ev.version = 1
       ORDER BY ev.position`,
    )
    .all(editionStream(''));
  return rows.map((row) => ({ key: editionNumberClaim(row.number), position: row.position }));
}
