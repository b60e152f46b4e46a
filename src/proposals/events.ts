import { z } from 'zod';

export const Visibility = z.enum(['dialogue', 'members']);
export const ProposalStatus = z.enum(['open', 'adopted', 'rejected', 'withdrawn']);
export type ProposalStatus = z.infer<typeof ProposalStatus>;
export const Outcome = z.enum(['adopted', 'rejected']);

/**
 * Every proposal event names its proposal, its group and its visibility, so that fan-out, export and
 * visibility checks never need a look-up.
 */
const about = { proposalId: z.string(), groupId: z.string(), visibility: Visibility };

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), data: z.strictObject({ ...about, ...shape }) });

/** `closesAt` (ISO, UTC) ends the consultation; submissions before deadlines existed lack it (no deadline). */
export const ProposalSubmitted = event('ProposalSubmitted', {
  title: z.string(),
  body: z.string(),
  pillars: z.array(z.string()),
  authorEntityId: z.string(),
  closesAt: z.string().nullable().optional(),
});
export type ProposalSubmitted = z.infer<typeof ProposalSubmitted>;

/** Carries the whole new text, so the view needs nothing but this event to show it. */
export const ProposalRevised = event('ProposalRevised', {
  revision: z.number().int(),
  title: z.string(),
  body: z.string(),
});
export type ProposalRevised = z.infer<typeof ProposalRevised>;

export const CommentPosted = event('CommentPosted', {
  commentId: z.string(),
  entityId: z.string().nullable(),
  body: z.string(),
  replyTo: z.string().nullable(),
});
export type CommentPosted = z.infer<typeof CommentPosted>;

/** `revision` is the text revision endorsed: a later revision does not silently carry the endorsement. */
export const ProposalEndorsed = event('ProposalEndorsed', {
  entityId: z.string(),
  revision: z.number().int(),
  note: z.string().nullable(),
});
export type ProposalEndorsed = z.infer<typeof ProposalEndorsed>;

export const EndorsementWithdrawn = event('EndorsementWithdrawn', { entityId: z.string() });
export type EndorsementWithdrawn = z.infer<typeof EndorsementWithdrawn>;

export const ObjectionRaised = event('ObjectionRaised', { entityId: z.string(), reason: z.string() });
export type ObjectionRaised = z.infer<typeof ObjectionRaised>;

export const ObjectionWithdrawn = event('ObjectionWithdrawn', { entityId: z.string() });
export type ObjectionWithdrawn = z.infer<typeof ObjectionWithdrawn>;

export const ProposalWithdrawn = event('ProposalWithdrawn', { reason: z.string().nullable() });
export type ProposalWithdrawn = z.infer<typeof ProposalWithdrawn>;

/** `overriddenObjections` names the entities whose open objections the chair adopted over. */
export const ProposalDecided = event('ProposalDecided', {
  outcome: Outcome,
  note: z.string(),
  chairEntityId: z.string(),
  overriddenObjections: z.array(z.string()),
});
export type ProposalDecided = z.infer<typeof ProposalDecided>;

/** A chair moved (or removed: null) the end of the consultation; a new end in the future reopens a closed one. */
export const ConsultationRescheduled = event('ConsultationRescheduled', {
  closesAt: z.string().nullable(),
  previousClosesAt: z.string().nullable(),
  reason: z.string(),
});
export type ConsultationRescheduled = z.infer<typeof ConsultationRescheduled>;

/** The server closed the consultation: `dueAt` is the `closesAt` that passed, `firedAt` when it was recorded. */
export const ConsultationClosed = event('ConsultationClosed', { dueAt: z.string(), firedAt: z.string() });
export type ConsultationClosed = z.infer<typeof ConsultationClosed>;

export const ProposalEvent = z.discriminatedUnion('type', [
  ProposalSubmitted,
  ProposalRevised,
  CommentPosted,
  ProposalEndorsed,
  EndorsementWithdrawn,
  ObjectionRaised,
  ObjectionWithdrawn,
  ProposalWithdrawn,
  ProposalDecided,
  ConsultationRescheduled,
  ConsultationClosed,
]);
export type ProposalEvent = z.infer<typeof ProposalEvent>;

export const PROPOSAL_EVENT_TYPES: ReadonlySet<string> = new Set(
  ProposalEvent.options.map((option) => option.shape.type.value),
);

export const proposalStream = (proposalId: string): string => `proposal-${proposalId}`;
