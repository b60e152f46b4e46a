import { z } from 'zod';
import { Visibility } from '../proposals/events';

/**
 * One stream per edition (`edition-<id>`) holds the edition, its agenda, its attendance and its outcome
 * declaration: the declaration's rules (who may break silence, who adopted it) read the attendance, and
 * one stream keeps those decisions pure and consistent.
 */
const about = { editionId: z.string() };

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), data: z.strictObject({ ...about, ...shape }) });

/** A real calendar date, `YYYY-MM-DD`. */
const Day = z.string();

export const EditionScheduled = event('EditionScheduled', {
  number: z.number().int(),
  title: z.string(),
  startsOn: Day,
  endsOn: Day,
  venue: z.string(),
  hostEntityId: z.string().nullable(),
});

/**
 * Agenda events carry the proposal's group and visibility, as every event of a group's content does: fan-out
 * and the log show them only to who may see the proposal.
 */
const agendaItem = { proposalId: z.string(), groupId: z.string(), visibility: Visibility };
export const AgendaItemAdded = event('AgendaItemAdded', agendaItem);
export const AgendaItemRemoved = event('AgendaItemRemoved', agendaItem);

/** Recording an entity's attendance again replaces its delegates. `entityKind` decides whether it counts. */
export const AttendanceRecorded = event('AttendanceRecorded', {
  entityId: z.string(),
  entityKind: z.enum(['member', 'observer']),
  delegates: z.array(z.string()),
});
export const AttendanceWithdrawn = event('AttendanceWithdrawn', { entityId: z.string() });

const Paragraph = z.strictObject({ text: z.string(), sourceProposalId: z.string().nullable() });

/** Every change of the declaration's text moves its `revision` (1 for the draft). */
export const DeclarationDrafted = event('DeclarationDrafted', {
  revision: z.number().int(),
  paragraphs: z.array(Paragraph),
});
/** `n` is the new paragraph's number (paragraphs are numbered from 1; those after it move down one). */
export const DeclarationParagraphAdded = event('DeclarationParagraphAdded', {
  revision: z.number().int(),
  n: z.number().int(),
  text: z.string(),
});
export const DeclarationParagraphEdited = event('DeclarationParagraphEdited', {
  revision: z.number().int(),
  n: z.number().int(),
  text: z.string(),
});
export const DeclarationParagraphMoved = event('DeclarationParagraphMoved', {
  revision: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
});
export const DeclarationParagraphRemoved = event('DeclarationParagraphRemoved', {
  revision: z.number().int(),
  n: z.number().int(),
});

/** Freezes the text at `revision` until `until`, when the scheduler ends the procedure. */
export const SilenceProcedureOpened = event('SilenceProcedureOpened', {
  revision: z.number().int(),
  until: z.string(),
});
export const SilenceBroken = event('SilenceBroken', { entityId: z.string(), reason: z.string() });

/**
 * Appended by the server's scheduler at `until` (`dueAt`), stamped with when it actually fired. When
 * adopted it carries the text's hash, the server's signature of it, and the member entities present.
 */
export const SilenceProcedureEnded = event('SilenceProcedureEnded', {
  outcome: z.enum(['adopted', 'broken']),
  revision: z.number().int(),
  dueAt: z.string(),
  firedAt: z.string(),
  adoptedBy: z.array(z.string()),
  textHash: z.string().nullable(),
  signature: z.string().nullable(),
});

export const EditionEvent = z.discriminatedUnion('type', [
  EditionScheduled,
  AgendaItemAdded,
  AgendaItemRemoved,
  AttendanceRecorded,
  AttendanceWithdrawn,
  DeclarationDrafted,
  DeclarationParagraphAdded,
  DeclarationParagraphEdited,
  DeclarationParagraphMoved,
  DeclarationParagraphRemoved,
  SilenceProcedureOpened,
  SilenceBroken,
  SilenceProcedureEnded,
]);
export type EditionEvent = z.infer<typeof EditionEvent>;

export const EDITION_EVENT_TYPES: ReadonlySet<string> = new Set(
  EditionEvent.options.map((option) => option.shape.type.value),
);

export const editionStream = (editionId: string): string => `edition-${editionId}`;
