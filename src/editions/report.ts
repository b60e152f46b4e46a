import type { Selectable } from 'kysely';
import type { ActionItemsTable } from '../db/schema';
import type { Visible } from '../dialogue/visibility';
import type { Decision } from '../proposals/views';
import type { EditionQueries } from './queries';
import type { EditionReport, EditionSummary, ReportActionItem, ReportProposal } from './views';

/** The day after a `YYYY-MM-DD` day. */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** The first instant of a day, as the log records times: a period's bounds are compared with recorded times. */
const startOf = (day: string) => `${day}T00:00:00.000Z`;

type ItemRow = Selectable<ActionItemsTable>;

function toItem(row: ItemRow, today: string): ReportActionItem {
  return {
    id: row.id,
    groupId: row.group_id,
    visibility: row.visibility,
    title: row.title,
    ownerEntityId: row.owner_entity_id,
    dueDate: row.due_date,
    proposalId: row.proposal_id,
    status: row.status,
    percent: row.percent,
    overdue: row.status === 'open' && row.due_date < today,
    openedAt: row.created_at,
  };
}

function proposalsIn(queries: EditionQueries, between: { from: string; to: string }, sees: (item: Visible) => boolean) {
  const adopted: ReportProposal[] = [];
  const rejected: ReportProposal[] = [];
  for (const row of queries.report.decided(between)) {
    if (row.decision === null || !sees({ groupId: row.group_id, visibility: row.visibility })) continue;
    const decision = JSON.parse(row.decision) as Decision;
    const { outcome, note, chairEntityId } = decision;
    const entry = { id: row.id, groupId: row.group_id, visibility: row.visibility, title: row.title };
    (outcome === 'adopted' ? adopted : rejected).push({
      ...entry,
      decision: { outcome, note, chairEntityId, decidedAt: decision.at },
    });
  }
  return { adopted, rejected };
}

/**
 * The report of an edition for one reader (`sees`: the one visibility rule, applied to each proposal and
 * item). Statuses and `overdue` are read on `today`: the report is what the Dialogue has to follow up now.
 */
export function editionReport(
  queries: EditionQueries,
  edition: EditionSummary,
  sees: (item: Visible) => boolean,
  today: string,
): EditionReport {
  const previous = queries.previous(edition);
  const from = previous ? dayAfter(previous.endsOn) : null;
  // '' sorts before every recorded time: the first edition's period starts with the log.
  const between = { from: from === null ? '' : startOf(from), to: startOf(dayAfter(edition.endsOn)) };
  const visible = (row: ItemRow) => sees({ groupId: row.group_id, visibility: row.visibility });
  const opened = queries.report.opened(between).filter(visible);
  const carried = from === null ? [] : queries.report.openBefore(between.from).filter(visible);
  // By due date, which puts the overdue ones (due before today) first.
  const carriedOver = carried.map((row) => toItem(row, today));
  return {
    editionId: edition.id,
    number: edition.number,
    title: edition.title,
    previousEditionId: previous?.id ?? null,
    period: { from, to: edition.endsOn },
    today,
    proposals: proposalsIn(queries, between, sees),
    actionItems: { opened: opened.map((row) => toItem(row, today)), carriedOver },
  };
}
