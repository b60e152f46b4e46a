import type { EditionsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Visibility } from '../dialogue/visibility';
import type { Sqlite } from '../eventStore/database';
import type { Projection } from '../eventStore/projections';
import type { StoredEvent } from '../eventStore/types';
import { EDITION_EVENT_TYPES, EditionEvent } from './events';

type Scheduled = Extract<EditionEvent, { type: 'EditionScheduled' }>['data'];
type Declared = { id: string; status: NonNullable<EditionsTable['declaration_status']>; revision: number };
type AgendaRow = { id: string; proposalId: string; groupId: string; visibility: Visibility; seq: number };

/** The statements the projection runs, prepared once when the runtime creates it. */
function statements(sqlite: Sqlite) {
  return {
    insert: prepare(sqlite, (db, p: Params<Scheduled & { version: number; at: string }>) =>
      db.insertInto('editions').values({
        id: p.editionId,
        number: p.number,
        title: p.title,
        starts_on: p.startsOn,
        ends_on: p.endsOn,
        venue: p.venue,
        host_entity_id: p.hostEntityId,
        version: p.version,
        created_at: p.at,
        updated_at: p.at,
      }),
    ),
    touch: prepare(sqlite, (db, p: Params<{ id: string; version: number; at: string }>) =>
      db.updateTable('editions').set({ version: p.version, updated_at: p.at }).where('id', '=', p.id),
    ),
    declaration: prepare(sqlite, (db, p: Params<Declared>) =>
      db
        .updateTable('editions')
        .set({ declaration_status: p.status, declaration_revision: p.revision })
        .where('id', '=', p.id),
    ),
    revision: prepare(sqlite, (db, p: Params<{ id: string; revision: number }>) =>
      db.updateTable('editions').set({ declaration_revision: p.revision }).where('id', '=', p.id),
    ),
    addAgenda: prepare(sqlite, (db, p: Params<AgendaRow>) =>
      db.insertInto('edition_agenda').values({
        edition_id: p.id,
        proposal_id: p.proposalId,
        group_id: p.groupId,
        visibility: p.visibility,
        seq: p.seq,
      }),
    ),
    removeAgenda: prepare(sqlite, (db, p: Params<{ id: string; proposalId: string }>) =>
      db.deleteFrom('edition_agenda').where('edition_id', '=', p.id).where('proposal_id', '=', p.proposalId),
    ),
    attend: prepare(
      sqlite,
      (db, p: Params<{ id: string; entityId: string; entityKind: 'member' | 'observer'; delegates: string }>) =>
        db
          .insertInto('edition_attendance')
          .values({ edition_id: p.id, entity_id: p.entityId, entity_kind: p.entityKind, delegates: p.delegates })
          .onConflict((conflict) =>
            conflict.columns(['edition_id', 'entity_id']).doUpdateSet({ delegates: p.delegates }),
          ),
    ),
    withdraw: prepare(sqlite, (db, p: Params<{ id: string; entityId: string }>) =>
      db.deleteFrom('edition_attendance').where('edition_id', '=', p.id).where('entity_id', '=', p.entityId),
    ),
  };
}

type Statements = ReturnType<typeof statements>;

/** The declaration's status and revision after one of its events, or undefined when it leaves them as they are. */
function declarationAfter(event: EditionEvent): { status?: Declared['status']; revision: number } | undefined {
  switch (event.type) {
    case 'DeclarationDrafted':
      return { status: 'draft', revision: event.data.revision };
    case 'DeclarationParagraphAdded':
    case 'DeclarationParagraphEdited':
    case 'DeclarationParagraphMoved':
    case 'DeclarationParagraphRemoved':
      return { revision: event.data.revision };
    case 'SilenceProcedureOpened':
      return { status: 'silence', revision: event.data.revision };
    case 'SilenceProcedureEnded':
      return { status: event.data.outcome === 'adopted' ? 'adopted' : 'draft', revision: event.data.revision };
    default:
      return undefined;
  }
}

/** Agenda and attendance rows; the declaration's status and revision on the edition's row. */
function applyChange(run: Statements, stored: StoredEvent, event: EditionEvent): void {
  const id = event.data.editionId;
  switch (event.type) {
    case 'AgendaItemAdded': {
      const { proposalId, groupId, visibility } = event.data;
      run.addAgenda.run({ id, proposalId, groupId, visibility, seq: stored.position });
      return;
    }
    case 'AgendaItemRemoved':
      run.removeAgenda.run({ id, proposalId: event.data.proposalId });
      return;
    case 'AttendanceRecorded': {
      const { entityId, entityKind, delegates } = event.data;
      run.attend.run({ id, entityId, entityKind, delegates: JSON.stringify(delegates) });
      return;
    }
    case 'AttendanceWithdrawn':
      run.withdraw.run({ id, entityId: event.data.entityId });
      return;
    default: {
      const after = declarationAfter(event);
      if (!after) return;
      if (after.status) run.declaration.run({ id, status: after.status, revision: after.revision });
      else run.revision.run({ id, revision: after.revision });
    }
  }
}

/**
 * Folds an edition's stream into the edition, agenda and attendance views. Every event of the stream moves
 * the edition's version (its ETag), the declaration's included; the declaration's own tables are its
 * projection's.
 */
export function editionsProjection(sqlite: Sqlite): Projection {
  const run = statements(sqlite);
  return {
    name: 'editions',
    tables: ['edition_attendance', 'edition_agenda', 'editions'],
    rebuildTypes: EDITION_EVENT_TYPES,
    apply(stored: StoredEvent) {
      if (!EDITION_EVENT_TYPES.has(stored.type)) return;
      const event = EditionEvent.parse({ type: stored.type, data: stored.data });
      const id = event.data.editionId;
      if (event.type === 'EditionScheduled') {
        run.insert.run({ ...event.data, version: stored.version, at: stored.recordedAt });
        return;
      }
      applyChange(run, stored, event);
      run.touch.run({ id, version: stored.version, at: stored.recordedAt });
    },
  };
}
