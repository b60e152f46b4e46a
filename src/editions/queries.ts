import { type Selectable, sql } from 'kysely';
import type { EditionsTable } from '../db/schema';
import { type Params, prepare } from '../db/statements';
import type { Visible } from '../dialogue/visibility';
import type { Sqlite } from '../eventStore/database';
import { readsTogether } from '../eventStore/database';
import { reportStatements } from './reportStatements';
// Only types from ./views: the runtime imports this module, and evaluating the views' schemas here would
// register them earlier, reordering the OpenAPI document's components.
import type { AgendaItem, Attendance, EditionSummary } from './views';

type EditionRow = Selectable<EditionsTable>;

function statements(sqlite: Sqlite) {
  return {
    edition: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('editions').selectAll().where('id', '=', p.id),
    ),
    byNumber: prepare(sqlite, (db, p: Params<{ number: number }>) =>
      db.selectFrom('editions').select('id').where('number', '=', p.number),
    ),
    newestFirst: prepare(sqlite, (db) =>
      db.selectFrom('editions').selectAll().orderBy('starts_on', 'desc').orderBy('number', 'desc'),
    ),
    // The edition before one, by start date (the number breaks a tie): where its report's period begins.
    previous: prepare(sqlite, (db, p: Params<{ startsOn: string; number: number }>) =>
      db
        .selectFrom('editions')
        .select(['id', 'ends_on'])
        .where((eb) => eb(eb.refTuple('starts_on', 'number'), '<', eb.tuple(p.startsOn, p.number)))
        .orderBy('starts_on', 'desc')
        .orderBy('number', 'desc')
        .limit(sql.lit(1)),
    ),
    agenda: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db
        .selectFrom('edition_agenda as a')
        .innerJoin('proposals as p', 'p.id', 'a.proposal_id')
        .select(['a.proposal_id', 'a.group_id', 'a.visibility', 'p.title', 'p.status', 'p.updated_at'])
        .where('a.edition_id', '=', p.id)
        .orderBy('a.seq'),
    ),
    attendance: prepare(sqlite, (db, p: Params<{ id: string }>) =>
      db.selectFrom('edition_attendance').selectAll().where('edition_id', '=', p.id).orderBy('entity_id'),
    ),
  };
}

/** An edition's view before the agenda is filtered for its reader. */
export type EditionRecord = EditionSummary & {
  agenda: Array<AgendaItem & Visible>;
  attendance: Attendance[];
  /** The last time a proposal on the agenda changed (its title, its status), or null for an empty agenda. */
  agendaChangedAt: string | null;
};

/** The editions' views as the routes read them: statements prepared once, when the runtime creates this object. */
export class EditionQueries {
  private readonly run;
  private readonly readTogether;
  /** The report's reads: decided proposals and opened action items between two times. */
  readonly report;

  constructor(sqlite: Sqlite) {
    this.run = statements(sqlite);
    this.readTogether = readsTogether(sqlite);
    this.report = reportStatements(sqlite);
  }

  /** The edition that has this number, if one does (numbers are unique). */
  idOfNumber(number: number): string | undefined {
    return this.run.byNumber.get({ number })?.id;
  }

  /** Every edition, newest first (by start date, then number): the Dialogue meets once a year. */
  list(): EditionSummary[] {
    return this.run.newestFirst.all().map(toSummary);
  }

  summary(id: string): EditionSummary | undefined {
    const row = this.run.edition.get({ id });
    return row && toSummary(row);
  }

  /** The whole edition, its agenda unfiltered: the caller filters it for its reader. */
  record(id: string): EditionRecord | undefined {
    // One read: the version (the ETag), the agenda and the attendance agree.
    return this.readTogether(() => {
      const row = this.run.edition.get({ id });
      if (!row) return undefined;
      const rows = this.run.agenda.all({ id });
      const agenda = rows.map((item) => ({
        proposalId: item.proposal_id,
        groupId: item.group_id,
        visibility: item.visibility,
        title: item.title,
        status: item.status,
      }));
      const attendance = this.run.attendance.all({ id }).map((entry) => ({
        entityId: entry.entity_id,
        entityKind: entry.entity_kind,
        delegates: JSON.parse(entry.delegates) as string[],
      }));
      const agendaChangedAt = rows.reduce<string | null>(
        (latest, item) => (latest === null || item.updated_at > latest ? item.updated_at : latest),
        null,
      );
      return { ...toSummary(row), agenda, attendance, agendaChangedAt };
    });
  }

  /** The edition before this one by start date, with the day it ended. */
  previous(edition: Pick<EditionSummary, 'startsOn' | 'number'>): { id: string; endsOn: string } | undefined {
    const row = this.run.previous.get({ startsOn: edition.startsOn, number: edition.number });
    return row && { id: row.id, endsOn: row.ends_on };
  }
}

function toSummary(row: EditionRow): EditionSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    venue: row.venue,
    hostEntityId: row.host_entity_id,
    declaration:
      row.declaration_status === null
        ? null
        : { status: row.declaration_status, revision: row.declaration_revision ?? 1 },
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
