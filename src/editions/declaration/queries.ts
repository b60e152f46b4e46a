import { sql } from 'kysely';
import { type Params, prepare } from '../../db/statements';
import type { DueDeadline } from '../../deadlines/kind';
import type { Sqlite } from '../../eventStore/database';
import { Role } from '../../eventStore/types';
import type { AgendaProposal } from './decider';
// Only types from ./views: the runtime imports this module, and evaluating the views' schemas here would
// register them earlier, reordering the OpenAPI document's components.
import type { DeclarationHistory, DeclarationView } from './views';

type Id = { editionId: string };

function statements(sqlite: Sqlite) {
  return {
    declaration: prepare(sqlite, (db, p: Params<Id>) =>
      db
        .selectFrom('declarations')
        .innerJoin('declaration_editions', 'declaration_editions.edition_id', 'declarations.edition_id')
        .selectAll('declarations')
        .select(['declaration_editions.number', 'declaration_editions.title'])
        .where('declarations.edition_id', '=', p.editionId),
    ),
    paragraphs: prepare(sqlite, (db, p: Params<Id>) =>
      db
        .selectFrom('declaration_paragraphs')
        .select(['n', 'text', 'source_proposal_id as sourceProposalId'])
        .where('edition_id', '=', p.editionId)
        .orderBy('n'),
    ),
    breaks: prepare(sqlite, (db, p: Params<Id>) =>
      db
        .selectFrom('declaration_breaks')
        .select(['entity_id as entityId', 'reason', 'at'])
        .where('edition_id', '=', p.editionId)
        .orderBy('position'),
    ),
    revision: prepare(sqlite, (db, p: Params<Id & { revision: number }>) =>
      db
        .selectFrom('declaration_revisions')
        .select('paragraphs')
        .where('edition_id', '=', p.editionId)
        .where('revision', '=', p.revision),
    ),
    history: prepare(sqlite, (db, p: Params<Id & { after: number; limit: number }>) =>
      db
        .selectFrom('declaration_history')
        .selectAll()
        .where('edition_id', '=', p.editionId)
        .where('version', '>', p.after)
        .orderBy('version')
        .limit(p.limit),
    ),
    wording: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('proposals').select(['status', 'title', 'body']).where('id', '=', p.id),
    ),
    due: prepare(sqlite, (db, p: Params<{ now: string; limit: number }>) =>
      db
        .selectFrom('declarations')
        .select([sql<string>`'edition-' || edition_id`.as('streamId'), sql<string>`silence_until`.as('dueAt')])
        .where('status', '=', sql.lit('silence'))
        .where('silence_until', '<=', p.now)
        .orderBy('silence_until')
        .limit(p.limit),
    ),
  };
}

/** A declaration as its view holds it, every source proposal named (routes hide those the caller may not see). */
export type StoredDeclaration = DeclarationView & { editionTitle: string };

/** The declaration views as routes and the scheduler read them: statements prepared once. */
export class DeclarationQueries {
  private readonly run;

  constructor(sqlite: Sqlite) {
    this.run = statements(sqlite);
  }

  view(editionId: string): StoredDeclaration | undefined {
    const row = this.run.declaration.get({ editionId });
    if (!row) return undefined;
    const adopted = row.receipt_position !== null && row.receipt_hash !== null;
    return {
      editionId,
      editionNumber: row.number,
      editionTitle: row.title,
      status: row.status,
      paragraphs: this.run.paragraphs.all({ editionId }),
      version: row.version,
      revision: row.revision,
      silence:
        row.silence_until === null ? null : { until: row.silence_until, breaks: this.run.breaks.all({ editionId }) },
      adoptedAt: row.adopted_at,
      adoptedBy: row.adopted_by === null ? null : (JSON.parse(row.adopted_by) as string[]),
      textHash: row.text_hash,
      signature: row.signature,
      receipt: adopted ? { position: row.receipt_position ?? 0, hash: row.receipt_hash ?? '' } : null,
    };
  }

  /** The whole text at a revision, or undefined if there is no such revision. */
  revisionText(editionId: string, revision: number): string[] | undefined {
    const row = this.run.revision.get({ editionId, revision });
    return row && (JSON.parse(row.paragraphs) as Array<{ text: string }>).map((paragraph) => paragraph.text);
  }

  /** A page of the declaration's changes after a version of the edition's stream. */
  history(editionId: string, after: number, limit: number): DeclarationHistory {
    const rows = this.run.history.all({ editionId, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return {
      changes: page.map((row) => ({
        version: row.version,
        position: row.position,
        type: row.type,
        revision: row.revision,
        actor: { entityId: row.entity_id, person: row.person, role: Role.parse(row.role) },
        at: row.at,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      })),
      next: rows.length > limit ? (page.at(-1)?.version ?? null) : null,
    };
  }

  /** A proposal's status and current wording, what a drafted paragraph starts from. */
  proposalWording(proposalId: string): AgendaProposal | undefined {
    return this.run.wording.get({ id: proposalId });
  }

  /** Silence procedures that end at or before `now` (ISO) and have not been ended: the scheduler's `due`. */
  silenceDue(now: string, limit: number): DueDeadline[] {
    return this.run.due.all({ now, limit });
  }
}
