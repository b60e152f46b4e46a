import type { Actor } from '../../dialogue/actor';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../errors';
import type { EditionEvent } from '../events';
import type { DeclarationState, EditionState } from '../state';
import { MAX_PARAGRAPHS, SILENCE_MIN_MS } from './bounds';

type Who = Pick<Actor, 'role' | 'entityId' | 'entityKind'>;

/** A proposal on the agenda as the route read it: what a drafted paragraph starts from. */
export interface AgendaProposal {
  status: string;
  title: string;
  body: string;
}

function requireEdition(state: EditionState, editionId: string): void {
  if (!state.exists) throw new NotFound(`no edition '${editionId}'`);
}

function requireSecretariat(who: Who, action: string): void {
  if (who.role !== 'secretariat')
    throw new Forbidden(`only the secretariat may ${action}; this token's role is ${who.role}`);
}

function requireDeclaration(state: EditionState, editionId: string): DeclarationState {
  if (!state.declaration) throw new NotFound(`edition '${editionId}' has no declaration drafted`);
  return state.declaration;
}

/** The gate of every text change: the secretariat, a drafted declaration, not frozen by silence or adoption. */
function requireEditable(state: EditionState, who: Who, editionId: string): DeclarationState {
  requireEdition(state, editionId);
  requireSecretariat(who, "change the declaration's text");
  const declaration = requireDeclaration(state, editionId);
  if (declaration.status === 'silence')
    throw new Conflict('the declaration is under a silence procedure; its text is frozen until the procedure ends');
  if (declaration.status === 'adopted') throw new Conflict('the declaration is adopted; its text is final');
  return declaration;
}

function requireParagraph(declaration: DeclarationState, n: number): void {
  if (n < 1 || n > declaration.paragraphs.length)
    throw new NotFound(`no paragraph ${n}: the declaration has ${declaration.paragraphs.length}`);
}

/**
 * One paragraph per adopted proposal on the agenda, in agenda order, worded as the proposal is now. Every
 * token reads the declaration, so a members-only proposal is not drafted from: its wording and id would
 * reach observers (the secretariat may add a paragraph of its own that says what the members agree to make public).
 */
export function draftDeclaration(
  state: EditionState,
  who: Who,
  command: { editionId: string; proposals: ReadonlyMap<string, AgendaProposal> },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'draft the declaration');
  if (state.declaration) throw new Conflict(`edition '${command.editionId}' already has a declaration`);
  const paragraphs = state.agenda.flatMap(({ proposalId, visibility }) => {
    if (visibility === 'members') return [];
    const proposal = command.proposals.get(proposalId);
    if (proposal?.status !== 'adopted') return [];
    return [{ text: `${proposal.title}\n\n${proposal.body}`, sourceProposalId: proposalId }];
  });
  return [{ type: 'DeclarationDrafted', data: { editionId: state.editionId, revision: 1, paragraphs } }];
}

/** A new paragraph after paragraph `after` (0: first; omitted: last). */
export function addParagraph(
  state: EditionState,
  who: Who,
  command: { editionId: string; text: string; after?: number | undefined },
): EditionEvent[] {
  const declaration = requireEditable(state, who, command.editionId);
  const count = declaration.paragraphs.length;
  const after = command.after ?? count;
  if (after > count)
    throw new BadRequest(`paragraph ${after} does not exist`, [
      { path: 'body.after', message: `must be between 0 and ${count}` },
    ]);
  if (count >= MAX_PARAGRAPHS) throw new Conflict(`the declaration already has ${MAX_PARAGRAPHS} paragraphs`);
  const revision = declaration.revision + 1;
  return [
    {
      type: 'DeclarationParagraphAdded',
      data: { editionId: state.editionId, revision, n: after + 1, text: command.text },
    },
  ];
}

export function editParagraph(
  state: EditionState,
  who: Who,
  command: { editionId: string; n: number; text: string },
): EditionEvent[] {
  const declaration = requireEditable(state, who, command.editionId);
  requireParagraph(declaration, command.n);
  if (declaration.paragraphs[command.n - 1]?.text === command.text)
    throw new BadRequest(`paragraph ${command.n} already reads so; the edit changes nothing`, [
      { path: 'body.text', message: 'is the current text' },
    ]);
  const revision = declaration.revision + 1;
  return [
    {
      type: 'DeclarationParagraphEdited',
      data: { editionId: state.editionId, revision, n: command.n, text: command.text },
    },
  ];
}

export function removeParagraph(
  state: EditionState,
  who: Who,
  command: { editionId: string; n: number },
): EditionEvent[] {
  const declaration = requireEditable(state, who, command.editionId);
  requireParagraph(declaration, command.n);
  const revision = declaration.revision + 1;
  return [{ type: 'DeclarationParagraphRemoved', data: { editionId: state.editionId, revision, n: command.n } }];
}

/** Paragraph `n` becomes paragraph `to`; those between move up or down one. */
export function moveParagraph(
  state: EditionState,
  who: Who,
  command: { editionId: string; n: number; to: number },
): EditionEvent[] {
  const declaration = requireEditable(state, who, command.editionId);
  requireParagraph(declaration, command.n);
  const count = declaration.paragraphs.length;
  if (command.to < 1 || command.to > count)
    throw new BadRequest(`there is no place ${command.to}`, [
      { path: 'body.to', message: `must be between 1 and ${count}` },
    ]);
  if (command.to === command.n)
    throw new BadRequest(`paragraph ${command.n} is already there; the move changes nothing`, [
      { path: 'body.to', message: 'is the paragraph’s own place' },
    ]);
  const revision = declaration.revision + 1;
  return [
    {
      type: 'DeclarationParagraphMoved',
      data: { editionId: state.editionId, revision, from: command.n, to: command.to },
    },
  ];
}

/** Freezes the text until `until` (at least an hour after `now`), when the scheduler ends the procedure. */
export function openSilence(
  state: EditionState,
  who: Who,
  command: { editionId: string; until: string; now: string },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  requireSecretariat(who, 'open a silence procedure');
  const declaration = requireDeclaration(state, command.editionId);
  if (Date.parse(command.until) - Date.parse(command.now) < SILENCE_MIN_MS)
    throw new BadRequest('a silence procedure ends at least one hour from now', [
      {
        path: 'body.until',
        message: `must be at or after ${new Date(Date.parse(command.now) + SILENCE_MIN_MS).toISOString()}`,
      },
    ]);
  if (declaration.status !== 'draft')
    throw new Conflict(
      declaration.status === 'adopted'
        ? 'the declaration is adopted; no procedure can open'
        : 'a silence procedure is already open',
    );
  if (declaration.paragraphs.length === 0) throw new Conflict('the declaration has no paragraph to adopt');
  // Adoption names the member entities present: a text nobody attended to adopt is no outcome.
  if (![...state.attendance.values()].some((attendee) => attendee.entityKind === 'member'))
    throw new Conflict('no member entity attended this edition; record the attendance first');
  return [
    {
      type: 'SilenceProcedureOpened',
      data: { editionId: state.editionId, revision: declaration.revision, until: command.until },
    },
  ];
}

/** Who may break silence: a delegate of a member entity that attended the edition, once per procedure. */
export function breakSilence(
  state: EditionState,
  who: Who,
  command: { editionId: string; reason: string; now: string },
): EditionEvent[] {
  requireEdition(state, command.editionId);
  if (who.role !== 'delegate' || who.entityId === null)
    throw new Forbidden(`only delegates of member entities may break silence; this token's role is ${who.role}`);
  const entityId = who.entityId;
  const attendee = state.attendance.get(entityId);
  if (who.entityKind === 'observer' || attendee?.entityKind === 'observer')
    throw new Forbidden(`${entityId} is an observer entity; only member entities may break silence`);
  if (!attendee)
    throw new Forbidden(`${entityId} did not attend edition ${state.number}; only attending members may break silence`);
  const silence = state.declaration?.silence;
  if (!silence) throw new Conflict('no silence procedure is open');
  if (Date.parse(command.now) >= Date.parse(silence.until))
    throw new Conflict(`the silence procedure ended at ${silence.until}`);
  if (silence.breakers.has(entityId)) throw new Conflict(`${entityId} has already broken this silence procedure`);
  return [{ type: 'SilenceBroken', data: { editionId: state.editionId, entityId, reason: command.reason } }];
}
