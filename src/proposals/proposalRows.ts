import { type InferResult, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';
import { queryBuilder } from '../db/statements';
import { proposalStream } from './events';
import type { ProposalSummary } from './views';

/** The position of the last event of the proposal `p`'s stream in the log (joined as its head, `h`). */
export const headPosition = queryBuilder
  .selectFrom('events')
  .select('position')
  .where('stream_id', '=', sql<string>`${sql.lit(proposalStream(''))} || p.id`)
  .orderBy('version', 'desc')
  .limit(sql.lit(1));

/**
 * A proposal's row with the head of its stream in the log. The row holds the proposal as of its last event
 * other than a comment (the projection does not rewrite it for comments): `atHead` adds what came since.
 */
export function withHead(db: Kysely<Database>) {
  return db
    .selectFrom('proposals as p')
    .leftJoin('events as h', (join) => join.on('h.position', '=', headPosition))
    .selectAll('p')
    .select(['h.version as head_version', 'h.recorded_at as head_at']);
}

/** A proposal's row as `withHead` reads it (Kysely infers it), and its rank when it was searched. */
export type ProposalRow = InferResult<ReturnType<typeof withHead>>[number] & { rank?: number | null };

/** The version, time of the last event and comment count of a proposal, at the head of its stream. */
export function atHead(row: ProposalRow): { version: number; updatedAt: string; comments: number } {
  // Every event after the row's version is a comment (the projection moves the row for any other event).
  if (row.head_version === null || row.head_at === null || row.head_version <= row.version) {
    return { version: row.version, updatedAt: row.updated_at, comments: row.comment_count };
  }
  return {
    version: row.head_version,
    updatedAt: row.head_at,
    comments: row.comment_count + row.head_version - row.version,
  };
}

/** What a summary and a full view share. */
export function header(row: ProposalRow, version: number) {
  return {
    id: row.id,
    groupId: row.group_id,
    title: row.title,
    pillars: JSON.parse(row.pillars) as string[],
    visibility: row.visibility,
    status: row.status,
    version,
    revision: row.revision,
    authorEntityId: row.author_entity_id,
    closesAt: row.closes_at,
    consultationClosedAt: row.consultation_closed_at,
  };
}

export function toSummary(row: ProposalRow): ProposalSummary {
  const head = atHead(row);
  const summary: ProposalSummary = {
    ...header(row, head.version),
    counts: { endorsements: row.endorsement_count, objections: row.objection_count, comments: head.comments },
    createdAt: row.created_at,
    lastActivityAt: head.updatedAt,
  };
  if (typeof row.rank === 'number') summary.score = Math.round(-row.rank * 1000) / 1000;
  return summary;
}
