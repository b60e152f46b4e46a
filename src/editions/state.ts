import type { Decider } from '../commands/decider';
import type { Visibility } from '../dialogue/visibility';
import { EditionEvent } from './events';

export interface AgendaEntry {
  proposalId: string;
  groupId: string;
  visibility: Visibility;
}

export interface Attendee {
  entityKind: 'member' | 'observer';
  delegates: readonly string[];
}

export interface DeclarationParagraph {
  text: string;
  sourceProposalId: string | null;
}

export interface DeclarationState {
  status: 'draft' | 'silence' | 'adopted';
  paragraphs: readonly DeclarationParagraph[];
  revision: number;
  /** The open procedure, or null. */
  silence: { until: string; breakers: ReadonlySet<string> } | null;
}

/** An edition as its stream tells it: what its decisions (and its declaration's) need. */
export interface EditionState {
  exists: boolean;
  editionId: string;
  number: number;
  agenda: readonly AgendaEntry[];
  attendance: ReadonlyMap<string, Attendee>;
  declaration: DeclarationState | null;
}

export const initialState: EditionState = {
  exists: false,
  editionId: '',
  number: 0,
  agenda: [],
  attendance: new Map(),
  declaration: null,
};

/** Moves paragraph `from` to `to` (both numbered from 1). */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const rest = items.filter((_, index) => index !== from - 1);
  const item = items[from - 1];
  if (item === undefined) return [...items];
  rest.splice(to - 1, 0, item);
  return rest;
}

function withParagraphs(
  declaration: DeclarationState | null,
  revision: number,
  change: (paragraphs: readonly DeclarationParagraph[]) => DeclarationParagraph[],
): DeclarationState | null {
  if (!declaration) return declaration;
  return { ...declaration, revision, paragraphs: change(declaration.paragraphs) };
}

function evolveDeclaration(declaration: DeclarationState | null, event: EditionEvent): DeclarationState | null {
  switch (event.type) {
    case 'DeclarationDrafted':
      return { status: 'draft', paragraphs: event.data.paragraphs, revision: event.data.revision, silence: null };
    case 'DeclarationParagraphAdded': {
      const { n, text, revision } = event.data;
      return withParagraphs(declaration, revision, (paragraphs) => [
        ...paragraphs.slice(0, n - 1),
        { text, sourceProposalId: null },
        ...paragraphs.slice(n - 1),
      ]);
    }
    case 'DeclarationParagraphEdited': {
      const { n, text, revision } = event.data;
      return withParagraphs(declaration, revision, (paragraphs) =>
        paragraphs.map((paragraph, index) => (index === n - 1 ? { ...paragraph, text } : paragraph)),
      );
    }
    case 'DeclarationParagraphMoved':
      return withParagraphs(declaration, event.data.revision, (paragraphs) =>
        moved(paragraphs, event.data.from, event.data.to),
      );
    case 'DeclarationParagraphRemoved':
      return withParagraphs(declaration, event.data.revision, (paragraphs) =>
        paragraphs.filter((_, index) => index !== event.data.n - 1),
      );
    case 'SilenceProcedureOpened':
      return (
        declaration && { ...declaration, status: 'silence', silence: { until: event.data.until, breakers: new Set() } }
      );
    case 'SilenceBroken': {
      const silence = declaration?.silence;
      if (!declaration || !silence) return declaration;
      return { ...declaration, silence: { ...silence, breakers: new Set([...silence.breakers, event.data.entityId]) } };
    }
    case 'SilenceProcedureEnded':
      return (
        declaration && {
          ...declaration,
          status: event.data.outcome === 'adopted' ? 'adopted' : 'draft',
          silence: null,
        }
      );
    default:
      return declaration;
  }
}

export function evolve(state: EditionState, event: EditionEvent): EditionState {
  switch (event.type) {
    case 'EditionScheduled':
      return { ...initialState, exists: true, editionId: event.data.editionId, number: event.data.number };
    case 'AgendaItemAdded': {
      const { proposalId, groupId, visibility } = event.data;
      return { ...state, agenda: [...state.agenda, { proposalId, groupId, visibility }] };
    }
    case 'AgendaItemRemoved':
      return { ...state, agenda: state.agenda.filter((entry) => entry.proposalId !== event.data.proposalId) };
    case 'AttendanceRecorded': {
      const attendance = new Map(state.attendance);
      attendance.set(event.data.entityId, { entityKind: event.data.entityKind, delegates: event.data.delegates });
      return { ...state, attendance };
    }
    case 'AttendanceWithdrawn': {
      const attendance = new Map(state.attendance);
      attendance.delete(event.data.entityId);
      return { ...state, attendance };
    }
    default:
      return { ...state, declaration: evolveDeclaration(state.declaration, event) };
  }
}

/** An edition's stream as the command layer folds it (`edition-<id>`). */
export const editionDecider: Decider<EditionState, EditionEvent> = {
  initialState,
  evolve,
  parse: (event) => EditionEvent.parse({ type: event.type, data: event.data }),
};
