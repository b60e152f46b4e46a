import { sql } from 'kysely';
import { type Params, prepare } from '../db/statements';
import type { Sqlite } from '../eventStore/database';

/** Times as the log records them (ISO, UTC): `from` included, `to` excluded. */
type Between = { from: string; to: string };

// JSON functions: when a proposal was decided is inside its `decision` column's JSON.
const decidedAt = sql<string>`json_extract(decision, '$.at')`;

/**
 * The report's reads, over the proposal and action item views: the proposals decided and the action items
 * opened in a period, and the items opened before it that are still open. Visibility is applied by the
 * caller, who knows the reader.
 */
export function reportStatements(sqlite: Sqlite) {
  const decided = prepare(sqlite, (db, p: Params<Between>) =>
    db
      .selectFrom('proposals')
      .select(['id', 'group_id', 'visibility', 'title', 'status', 'decision', decidedAt.as('decided_at')])
      .where('decision', 'is not', null)
      .where(decidedAt, '>=', p.from)
      .where(decidedAt, '<', p.to)
      .orderBy(decidedAt)
      .orderBy('seq'),
  );
  const opened = prepare(sqlite, (db, p: Params<Between>) =>
    db
      .selectFrom('action_items')
      .selectAll()
      .where('created_at', '>=', p.from)
      .where('created_at', '<', p.to)
      .orderBy('seq'),
  );
  const openBefore = prepare(sqlite, (db, p: Params<{ before: string }>) =>
    db
      .selectFrom('action_items')
      .selectAll()
      .where('status', '=', sql.lit('open'))
      .where('created_at', '<', p.before)
      .orderBy('due_date')
      .orderBy('seq'),
  );
  return {
    decided: (between: Between) => decided.all(between),
    opened: (between: Between) => opened.all(between),
    /** Still open, opened before `before`, by due date (the oldest due first). */
    openBefore: (before: string) => openBefore.all({ before }),
  };
}
