import type { Sqlite } from '../eventStore/database';
import { EditionScheduled } from './events';

/** The claim an edition's number holds across the log (`AppendRequest.claims`): no two editions share it. */
export const editionNumberClaim = (editionNumber: number): string => `edition-number:${editionNumber}`;

/**
 * Every claim a log holds, read from the log itself: each scheduled edition's number, held by the event
 * that scheduled it. PostgreSQL keeps claims in a table of their own, which is not in a backup; a restore
 * writes them back from here, for a backup of either store and of any age (no view is needed).
 */
export function claimsInLog(sqlite: Sqlite): { key: string; position: number }[] {
  // Raw SQL: json_extract on the event's data, which Kysely has no words for.
  const rows = sqlite
    .prepare<[string], { number: number; position: number }>(
      `SELECT json_extract(data, '$.number') AS number, position FROM events WHERE type = ? ORDER BY position`,
    )
    .all(EditionScheduled.shape.type.value);
  return rows.map((row) => ({ key: editionNumberClaim(row.number), position: row.position }));
}
