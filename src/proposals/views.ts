import { z } from 'zod';
import { Outcome, ProposalStatus, Visibility } from './events';

export const Endorsement = z.object({ entityId: z.string(), revision: z.number().int(), note: z.string().nullable(), at: z.string() });
export const Objection = z.object({ entityId: z.string(), reason: z.string(), at: z.string() });
export const Comment = z.object({
  id: z.string(),
  entityId: z.string().nullable(),
  body: z.string(),
  replyTo: z.string().nullable(),
  at: z.string(),
});
export type Comment = z.infer<typeof Comment>;
export const Decision = z.object({
  outcome: Outcome,
  note: z.string(),
  chairEntityId: z.string(),
  overriddenObjections: z.array(z.string()),
  at: z.string(),
});
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
  createdAt: z.string(),
});

/** The contract's proposal view (plus `decision`, null until a chair decides). */
export const ProposalView = ProposalHeader.extend({
  body: z.string(),
  endorsements: z.array(Endorsement),
  objections: z.array(Objection),
  comments: z.array(Comment),
  actionItems: z.array(z.object({ id: z.string(), title: z.string(), status: z.enum(['open', 'done', 'cancelled']) })),
  decision: Decision.nullable(),
  updatedAt: z.string(),
});
export type ProposalView = z.infer<typeof ProposalView>;

/** One row of a group's proposal list: enough to triage without opening each proposal. */
export const ProposalSummary = ProposalHeader.extend({
  counts: z.object({ endorsements: z.number().int(), objections: z.number().int(), comments: z.number().int() }),
  lastActivityAt: z.string().describe('time of the last event of the proposal (comments included)'),
  score: z.number().optional().describe('search relevance, present when `q` is given (higher is better)'),
});
export type ProposalSummary = z.infer<typeof ProposalSummary>;

export const ProposalPage = z.object({ items: z.array(ProposalSummary), nextCursor: z.string().nullable() });
export type ProposalPage = z.infer<typeof ProposalPage>;

export const SimilarProposal = z.object({ id: z.string(), groupId: z.string(), title: z.string(), score: z.number() });
export type SimilarProposal = z.infer<typeof SimilarProposal>;
