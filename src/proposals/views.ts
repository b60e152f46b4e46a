import { z } from 'zod';
import { Timestamp } from '../eventStore/types';
import { Outcome, ProposalStatus, Visibility } from './events';
import { LISTED_ACTION_ITEMS, RECENT_COMMENTS } from './bounds';

export const Endorsement = z
  .object({ entityId: z.string(), revision: z.number().int(), note: z.string().nullable(), at: Timestamp })
  .meta({ id: 'Endorsement' });
export const Objection = z
  .object({ entityId: z.string(), reason: z.string(), at: Timestamp })
  .meta({ id: 'Objection' });
export const Comment = z
  .object({
    id: z.string(),
    entityId: z.string().nullable(),
    body: z.string(),
    replyTo: z.string().nullable(),
    at: Timestamp,
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof Comment>;
export const Decision = z
  .object({
    outcome: Outcome,
    note: z.string(),
    chairEntityId: z.string(),
    overriddenObjections: z.array(z.string()),
    at: Timestamp,
  })
  .meta({ id: 'Decision' });
export type Decision = z.infer<typeof Decision>;

/** What a list row and the full view share. */
const ProposalHeader = z.object({
  id: z.string(),
  groupId: z.string(),
  title: z.string(),
  pillars: z.array(z.string()),
  visibility: Visibility,
  status: ProposalStatus,
  version: z.number().int(),
  revision: z.number().int(),
  authorEntityId: z.string(),
  closesAt: Timestamp.nullable().describe(
    'when the consultation closes (endorsements and objections end); null: no deadline',
  ),
  consultationClosedAt: Timestamp.nullable().describe(
    'when the server recorded the close of the consultation (`ConsultationClosed`); null while it is open',
  ),
  createdAt: Timestamp,
});

/**
 * The contract's proposal view (plus `decision`, null until a chair decides), bounded in size: it carries
 * the newest comments and the count of all of them, so that no one can make a view (and every live frame
 * that carries it) grow without limit by commenting.
 */
export const ProposalView = ProposalHeader.extend({
  body: z.string(),
  endorsements: z.array(Endorsement),
  objections: z.array(Objection),
  comments: z.array(Comment).describe(`the newest ${RECENT_COMMENTS} comments, oldest of them first`),
  commentCount: z.number().int().describe('all comments of the proposal'),
  actionItems: z
    .array(z.object({ id: z.string(), title: z.string(), status: z.enum(['open', 'done', 'cancelled']) }))
    .describe(`the first ${LISTED_ACTION_ITEMS} action items that implement it, in the order they were opened`),
  actionItemCount: z.number().int(),
  decision: Decision.nullable(),
  updatedAt: Timestamp,
}).meta({ id: 'ProposalView' });
export type ProposalView = z.infer<typeof ProposalView>;

/** One row of a group's proposal list: enough to triage without opening each proposal. */
export const ProposalSummary = ProposalHeader.extend({
  counts: z.object({ endorsements: z.number().int(), objections: z.number().int(), comments: z.number().int() }),
  lastActivityAt: Timestamp.describe('time of the last event of the proposal (comments included)'),
  score: z.number().optional().describe('search relevance, present when `q` is given (higher is better)'),
}).meta({ id: 'ProposalSummary' });
export type ProposalSummary = z.infer<typeof ProposalSummary>;

export const ProposalPage = z
  .object({ items: z.array(ProposalSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'ProposalPage' });
export type ProposalPage = z.infer<typeof ProposalPage>;

/** A page of a proposal's comments, in thread order (oldest first) or newest first. */
export const CommentPage = z
  .object({ items: z.array(Comment), nextCursor: z.string().nullable() })
  .meta({ id: 'CommentPage' });
export type CommentPage = z.infer<typeof CommentPage>;

export const SimilarProposal = z
  .object({ id: z.string(), groupId: z.string(), title: z.string(), score: z.number() })
  .meta({ id: 'SimilarProposal' });
export type SimilarProposal = z.infer<typeof SimilarProposal>;

/** What a submission's 201 would list as `similar`, answered without submitting. */
export const SimilarPreview = z.object({ similar: z.array(SimilarProposal) }).meta({ id: 'SimilarPreview' });
