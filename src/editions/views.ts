import { z } from 'zod';
import { ProposalStatus } from '../proposals/events';
import { Timestamp } from '../eventStore/types';

/**
 * The declaration as an edition's views show it: its status and the revision of its text. Kept by the
 * editions projection from the declaration's events; the declaration itself is read at
 * `/editions/{id}/declaration`.
 */
export const DeclarationSummary = z
  .object({ status: z.enum(['draft', 'silence', 'adopted']), revision: z.number().int() })
  .meta({ id: 'DeclarationSummary' });

const SummaryShape = z.object({
  id: z.string(),
  number: z.number().int(),
  title: z.string(),
  startsOn: z.string().describe('YYYY-MM-DD'),
  endsOn: z.string().describe('YYYY-MM-DD'),
  venue: z.string(),
  hostEntityId: z.string().nullable(),
  declaration: DeclarationSummary.nullable().describe('null until the declaration is drafted'),
  version: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const EditionSummary = SummaryShape.meta({ id: 'EditionSummary' });
export type EditionSummary = z.infer<typeof EditionSummary>;

export const EditionList = z.object({ items: z.array(EditionSummary) }).meta({ id: 'EditionList' });

export const AgendaItem = z
  .object({
    proposalId: z.string(),
    groupId: z.string(),
    visibility: z.enum(['dialogue', 'members']),
    title: z.string(),
    status: ProposalStatus,
  })
  .meta({ id: 'AgendaItem' });
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Attendance = z
  .object({
    entityId: z.string(),
    entityKind: z.enum(['member', 'observer']),
    delegates: z.array(z.string()),
  })
  .meta({ id: 'Attendance' });
export type Attendance = z.infer<typeof Attendance>;

export const EditionView = SummaryShape.extend({
  agenda: z.array(AgendaItem).describe('in agenda order; only the proposals the caller may see'),
  attendance: z.array(Attendance).describe('by entity id'),
  quorum: z
    .object({
      membersPresent: z.number().int().describe('member entities attending (observers never count)'),
      membersTotal: z.number().int().describe('member entities of the Dialogue'),
    })
    .meta({ id: 'Quorum' }),
}).meta({ id: 'EditionView' });
export type EditionView = z.infer<typeof EditionView>;

export const ReportProposal = z
  .object({
    id: z.string(),
    groupId: z.string(),
    visibility: z.enum(['dialogue', 'members']),
    title: z.string(),
    decision: z.object({
      outcome: z.enum(['adopted', 'rejected']),
      note: z.string(),
      chairEntityId: z.string(),
      decidedAt: Timestamp,
    }),
  })
  .meta({ id: 'ReportProposal' });
export type ReportProposal = z.infer<typeof ReportProposal>;

export const ReportActionItem = z
  .object({
    id: z.string(),
    groupId: z.string(),
    visibility: z.enum(['dialogue', 'members']),
    title: z.string(),
    ownerEntityId: z.string(),
    dueDate: z.string(),
    proposalId: z.string().nullable(),
    status: z.enum(['open', 'done', 'cancelled']),
    percent: z.number().int(),
    overdue: z.boolean().describe('open and due before today (UTC)'),
    openedAt: Timestamp,
  })
  .meta({ id: 'ReportActionItem' });
export type ReportActionItem = z.infer<typeof ReportActionItem>;

/**
 * What happened between the previous edition and this one. The period runs from the day after the previous
 * edition (by `startsOn`) ended to the day this one ends, both included, in UTC; the first edition's from the
 * beginning (`from` null). Only what the caller may see is listed.
 */
export const EditionReport = z
  .object({
    editionId: z.string(),
    number: z.number().int(),
    title: z.string(),
    previousEditionId: z.string().nullable(),
    period: z.object({
      from: z.string().nullable().describe('first day (YYYY-MM-DD), null for the first edition'),
      to: z.string().describe('last day (YYYY-MM-DD): the edition ends on it'),
    }),
    today: z.string().describe('the day (UTC) `overdue` and carried-over statuses are read on'),
    proposals: z.object({
      adopted: z.array(ReportProposal).describe('decided in the period, by decision time'),
      rejected: z.array(ReportProposal).describe('decided in the period, by decision time'),
    }),
    actionItems: z.object({
      opened: z.array(ReportActionItem).describe('opened in the period, in the order they were opened'),
      carriedOver: z
        .array(ReportActionItem)
        .describe('opened before the period and still open today: overdue first, then by due date'),
    }),
  })
  .meta({ id: 'EditionReport' });
export type EditionReport = z.infer<typeof EditionReport>;
