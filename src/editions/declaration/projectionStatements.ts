import { sql } from 'kysely';
import type { DeclarationHistoryTable } from '../../db/schema';
import { type Params, prepare } from '../../db/statements';
import type { Sqlite } from '../../eventStore/database';

type Id = { editionId: string };
type Adopted = Id & {
  adoptedAt: string;
  adoptedBy: string;
  textHash: string | null;
  signature: string | null;
  receiptPosition: number;
  receiptHash: string;
};
type Step = Omit<DeclarationHistoryTable, 'edition_id' | 'entity_id'> & Id & { entityId: string | null };

/** The statements the declaration projection runs, prepared once. */
export function projectionStatements(sqlite: Sqlite) {
  return { ...declarationStatements(sqlite), ...textStatements(sqlite) };
}

/** The declaration's own row (its status, silence and adoption) and the edition it belongs to. */
function declarationStatements(sqlite: Sqlite) {
  return {
    edition: prepare(sqlite, (db, p: Params<Id & { number: number; title: string }>) =>
      db.insertInto('declaration_editions').values({ edition_id: p.editionId, number: p.number, title: p.title }),
    ),
    declaration: prepare(sqlite, (db, p: Params<Id>) =>
      db.selectFrom('declarations').select(['status', 'revision']).where('edition_id', '=', p.editionId),
    ),
    paragraphs: prepare(sqlite, (db, p: Params<Id>) =>
      db
        .selectFrom('declaration_paragraphs')
        .select(['text', 'source_proposal_id as sourceProposalId'])
        .where('edition_id', '=', p.editionId)
        .orderBy('n'),
    ),
    insert: prepare(sqlite, (db, p: Params<Id & { revision: number; version: number; at: string }>) =>
      db.insertInto('declarations').values({
        edition_id: p.editionId,
        status: sql.lit('draft'),
        revision: p.revision,
        version: p.version,
        drafted_at: p.at,
        updated_at: p.at,
      }),
    ),
    touch: prepare(sqlite, (db, p: Params<Id & { version: number; at: string }>) =>
      db
        .updateTable('declarations')
        .set({ version: p.version, updated_at: p.at })
        .where('edition_id', '=', p.editionId),
    ),
    setRevision: prepare(sqlite, (db, p: Params<Id & { revision: number }>) =>
      db.updateTable('declarations').set({ revision: p.revision }).where('edition_id', '=', p.editionId),
    ),
    setSilence: prepare(sqlite, (db, p: Params<Id & { status: 'draft' | 'silence'; until: string | null }>) =>
      db
        .updateTable('declarations')
        .set({ status: p.status, silence_until: p.until })
        .where('edition_id', '=', p.editionId),
    ),
    adopt: prepare(sqlite, (db, p: Params<Adopted>) =>
      db
        .updateTable('declarations')
        .set({
          status: sql.lit('adopted'),
          silence_until: sql.lit(null),
          adopted_at: p.adoptedAt,
          adopted_by: p.adoptedBy,
          text_hash: p.textHash,
          signature: p.signature,
          receipt_position: p.receiptPosition,
          receipt_hash: p.receiptHash,
        })
        .where('edition_id', '=', p.editionId),
    ),
  };
}

/** The text (paragraphs and revisions), the breaks of silence and the history. */
function textStatements(sqlite: Sqlite) {
  return {
    clearParagraphs: prepare(sqlite, (db, p: Params<Id>) =>
      db.deleteFrom('declaration_paragraphs').where('edition_id', '=', p.editionId),
    ),
    paragraph: prepare(sqlite, (db, p: Params<Id & { n: number; text: string; sourceProposalId: string | null }>) =>
      db
        .insertInto('declaration_paragraphs')
        .values({ edition_id: p.editionId, n: p.n, text: p.text, source_proposal_id: p.sourceProposalId }),
    ),
    revision: prepare(
      sqlite,
      (db, p: Params<Id & { revision: number; paragraphs: string; position: number; at: string }>) =>
        db.insertInto('declaration_revisions').values({
          edition_id: p.editionId,
          revision: p.revision,
          paragraphs: p.paragraphs,
          position: p.position,
          at: p.at,
        }),
    ),
    clearBreaks: prepare(sqlite, (db, p: Params<Id>) =>
      db.deleteFrom('declaration_breaks').where('edition_id', '=', p.editionId),
    ),
    breakSilence: prepare(
      sqlite,
      (db, p: Params<Id & { entityId: string; reason: string; at: string; position: number }>) =>
        db.insertInto('declaration_breaks').values({
          edition_id: p.editionId,
          entity_id: p.entityId,
          reason: p.reason,
          at: p.at,
          position: p.position,
        }),
    ),
    step: prepare(sqlite, (db, p: Params<Step>) =>
      db.insertInto('declaration_history').values({
        edition_id: p.editionId,
        version: p.version,
        position: p.position,
        type: p.type,
        revision: p.revision,
        entity_id: p.entityId,
        person: p.person,
        role: p.role,
        at: p.at,
        detail: p.detail,
      }),
    ),
  };
}
