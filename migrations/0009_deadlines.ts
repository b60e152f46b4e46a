import { type Kysely, sql } from 'kysely';

/**
 * Deadlines that fire by themselves: a proposal's consultation closes at `closes_at` (null: no deadline), and
 * `consultation_closed_at` is when the server recorded its close (null until then, and again once a chair
 * moves the deadline into the future); an action item's `overdue_for` is the due date it was last declared
 * overdue for. Rows of older logs have none of these: their events carry no deadline and none has fired.
 * The partial indexes hold only the rows the scheduler may still have to fire, so its poll reads few pages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE proposals ADD COLUMN closes_at TEXT`.execute(db);
  await sql`ALTER TABLE proposals ADD COLUMN consultation_closed_at TEXT`.execute(db);
  await sql`
    CREATE INDEX proposals_consultation_due ON proposals (closes_at)
     WHERE status = 'open' AND closes_at IS NOT NULL AND consultation_closed_at IS NULL`.execute(db);
  await sql`ALTER TABLE action_items ADD COLUMN overdue_for TEXT`.execute(db);
  await sql`
    CREATE INDEX action_items_overdue_due ON action_items (due_date, seq)
     WHERE status = 'open' AND overdue_for IS NOT due_date`.execute(db);
}
