import type { SigningKey } from '../../audit/signing';
import type { DeadlineKind, Firing } from '../../deadlines/kind';
import type { EditionEvent } from '../events';
import { type EditionState, editionDecider } from '../state';
import { signDeclaration, textHash } from './canonical';
import type { DeclarationQueries } from './queries';

/**
 * Ends the procedure that was due at `dueAt`: broken when any member entity broke silence (the text is
 * editable again), else adopted by the attending member entities, with the text's hash and the server's
 * signature of it. Nothing when that procedure is no longer open (ended already, or another one).
 */
export function endSilence(state: EditionState, firing: Firing, key: SigningKey): EditionEvent[] {
  const declaration = state.declaration;
  const silence = declaration?.silence;
  if (declaration?.status !== 'silence' || silence?.until !== firing.dueAt) return [];
  const about = { editionId: state.editionId, revision: declaration.revision, ...firing };
  if (silence.breakers.size > 0) {
    return [
      {
        type: 'SilenceProcedureEnded',
        data: { ...about, outcome: 'broken', adoptedBy: [], textHash: null, signature: null },
      },
    ];
  }
  const adoptedBy = [...state.attendance]
    .filter(([, attendee]) => attendee.entityKind === 'member')
    .map(([entityId]) => entityId)
    .sort();
  const hash = textHash(declaration.paragraphs.map((paragraph) => paragraph.text));
  const signature = signDeclaration(key.privateKey, state.editionId, state.number, hash);
  return [
    { type: 'SilenceProcedureEnded', data: { ...about, outcome: 'adopted', adoptedBy, textHash: hash, signature } },
  ];
}

/** The end of silence procedures, fired by the server's scheduler and signed with its checkpoint key. */
export function silenceDeadline(
  queries: DeclarationQueries,
  key: SigningKey,
): DeadlineKind<EditionState, EditionEvent> {
  return {
    name: 'silence',
    due: (now, limit) => queries.silenceDue(now.toISOString(), limit),
    decider: editionDecider,
    fire: (state, firing) => endSilence(state, firing, key),
  };
}
