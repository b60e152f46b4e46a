import type { Sqlite } from '../../eventStore/database';
import type { Projection } from '../../eventStore/projections';
import type { StoredEvent } from '../../eventStore/types';
import { EDITION_EVENT_TYPES, EditionEvent } from '../events';
import { type DeclarationParagraph, evolve, initialState } from '../state';
import { projectionStatements } from './projectionStatements';

type DeclarationEvent = Exclude<
  EditionEvent,
  { type: 'EditionScheduled' | 'AgendaItemAdded' | 'AgendaItemRemoved' | 'AttendanceRecorded' | 'AttendanceWithdrawn' }
>;

const TEXT_CHANGES: ReadonlySet<string> = new Set([
  'DeclarationParagraphAdded',
  'DeclarationParagraphEdited',
  'DeclarationParagraphMoved',
  'DeclarationParagraphRemoved',
]);
const DECLARATION_TYPES: ReadonlySet<string> = new Set([
  ...TEXT_CHANGES,
  'DeclarationDrafted',
  'SilenceProcedureOpened',
  'SilenceBroken',
  'SilenceProcedureEnded',
]);

const isDeclarationEvent = (event: EditionEvent): event is DeclarationEvent => DECLARATION_TYPES.has(event.type);

type Run = ReturnType<typeof projectionStatements>;

/** The paragraphs after a text change, by the stream's own fold (one rule for the state and the view). */
function changed(run: Run, editionId: string, revision: number, event: DeclarationEvent): DeclarationParagraph[] {
  const paragraphs = run.paragraphs.all({ editionId });
  const before = { ...initialState, declaration: { status: 'draft' as const, paragraphs, revision, silence: null } };
  return [...(evolve(before, event).declaration?.paragraphs ?? [])];
}

/** The paragraphs as they now read, and the whole text kept under its revision (what diffs compare). */
function writeText(
  run: Run,
  stored: StoredEvent,
  editionId: string,
  revision: number,
  paragraphs: DeclarationParagraph[],
) {
  run.clearParagraphs.run({ editionId });
  paragraphs.forEach((paragraph, index) => {
    run.paragraph.run({ editionId, n: index + 1, ...paragraph });
  });
  const json = JSON.stringify(paragraphs);
  run.revision.run({ editionId, revision, paragraphs: json, position: stored.position, at: stored.recordedAt });
  run.setRevision.run({ editionId, revision });
}

/** Every declaration event is a change in its history, with what it says besides the edition and revision. */
function recordStep(run: Run, stored: StoredEvent, event: DeclarationEvent, revision: number) {
  const { editionId, ...rest } = event.data;
  const { revision: _revision, ...detail } = rest as typeof rest & { revision?: number };
  const { entityId, person, role } = stored.metadata.actor;
  const { version, position, recordedAt: at } = stored;
  const step = { editionId, version, position, type: event.type, revision, entityId, person, role, at };
  run.step.run({ ...step, detail: JSON.stringify(detail) });
}

function endProcedure(run: Run, stored: StoredEvent, event: Extract<EditionEvent, { type: 'SilenceProcedureEnded' }>) {
  const { editionId, outcome, adoptedBy, textHash, signature } = event.data;
  run.clearBreaks.run({ editionId });
  if (outcome === 'broken') return run.setSilence.run({ editionId, status: 'draft', until: null });
  run.adopt.run({
    editionId,
    adoptedAt: stored.recordedAt,
    adoptedBy: JSON.stringify(adoptedBy),
    textHash,
    signature,
    receiptPosition: stored.position,
    receiptHash: stored.hash,
  });
}

function applyDeclaration(run: Run, stored: StoredEvent, event: DeclarationEvent) {
  const editionId = event.data.editionId;
  if (event.type === 'DeclarationDrafted') {
    const { revision, paragraphs } = event.data;
    run.insert.run({ editionId, revision, version: stored.version, at: stored.recordedAt });
    writeText(run, stored, editionId, revision, paragraphs);
    return recordStep(run, stored, event, revision);
  }
  const current = run.declaration.get({ editionId });
  if (!current) return;
  if (TEXT_CHANGES.has(event.type) && 'revision' in event.data) {
    const { revision } = event.data;
    writeText(run, stored, editionId, revision, changed(run, editionId, current.revision, event));
    return recordStep(run, stored, event, revision);
  }
  if (event.type === 'SilenceProcedureOpened') {
    run.clearBreaks.run({ editionId });
    run.setSilence.run({ editionId, status: 'silence', until: event.data.until });
  } else if (event.type === 'SilenceBroken') {
    const { entityId, reason } = event.data;
    run.breakSilence.run({ editionId, entityId, reason, at: stored.recordedAt, position: stored.position });
  } else if (event.type === 'SilenceProcedureEnded') endProcedure(run, stored, event);
  recordStep(run, stored, event, current.revision);
}

/**
 * Folds the declaration events of editions' streams into the declaration, its paragraphs, each revision's
 * whole text (for diffs) and its history. Every event of the stream moves the declaration's `version`: it
 * is the edition stream's version, what If-Match and expectedVersion name.
 */
export function declarationProjection(sqlite: Sqlite): Projection {
  const run = projectionStatements(sqlite);
  return {
    name: 'declarations',
    tables: [
      'declaration_history',
      'declaration_breaks',
      'declaration_revisions',
      'declaration_paragraphs',
      'declarations',
      'declaration_editions',
    ],
    rebuildTypes: EDITION_EVENT_TYPES,
    apply(stored: StoredEvent) {
      if (!EDITION_EVENT_TYPES.has(stored.type)) return;
      const event = EditionEvent.parse({ type: stored.type, data: stored.data });
      if (event.type === 'EditionScheduled') {
        const { editionId, number, title } = event.data;
        return run.edition.run({ editionId, number, title });
      }
      if (isDeclarationEvent(event)) applyDeclaration(run, stored, event);
      run.touch.run({ editionId: event.data.editionId, version: stored.version, at: stored.recordedAt });
    },
  };
}
