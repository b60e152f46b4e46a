import { ActionItemQueries, utcDay } from '../actionItems/queries';
import type { ActionItemView } from '../actionItems/views';
import { type Params, prepare } from '../db/statements';
import { BadRequest } from '../errors';
import { openDatabase, type Sqlite } from '../eventStore/database';
import type { ProjectionFactory } from '../eventStore/projections';
import type { EventReader } from '../eventStore/read';
import { eventToRow } from '../eventStore/rawRows';
import { prepareEventInsert } from '../eventStore/store';
import type { StoredEvent } from '../eventStore/types';
import { ProposalQueries } from '../proposals/queries';
import { SearchTables } from '../proposals/search/searchTables';
import type { ProposalView } from '../proposals/views';
import { ViewGeneration } from '../eventStore/viewGeneration';
import { Directory } from '../dialogue/directory';
import { DeclarationQueries } from '../editions/declaration/queries';
import type { DeclarationView } from '../editions/declaration/views';
import { editionView } from '../editions/editionView';
import { EditionQueries } from '../editions/queries';
import type { EditionView } from '../editions/views';

export interface GroupState {
  group: string;
  position: number;
  recordedAt: string | null;
  proposals: ProposalView[];
  actionItems: ActionItemView[];
}

/** An edition and its declaration as they were (an auditor sees the whole agenda). */
export interface EditionState {
  edition: EditionView;
  declaration: DeclarationView | null;
}

export interface ReplayedState {
  position: number;
  recordedAt: string | null;
  groups: GroupState[];
  editions: EditionState[];
}

/** A position, or an ISO time resolved to the last event recorded at or before it. */
export function resolveAt(sqlite: Sqlite, at: string): number {
  if (/^\d{1,15}$/.test(at)) return Number(at);
  const time = new Date(at);
  if (Number.isNaN(time.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(at)) {
    throw new BadRequest('at must be a position or an ISO time', [
      { path: 'querystring.at', message: 'neither a position nor an ISO time' },
    ]);
  }
  const row = prepare(sqlite, (db, p: Params<{ time: string }>) =>
    db
      .selectFrom('events')
      .select((eb) => eb.fn.max<number | null>('position').as('p'))
      .where('recorded_at', '<=', p.time),
  ).get({ time: time.toISOString() });
  return row?.p ?? 0;
}

const PAGE = 5_000;

/**
 * Rebuilds the views as they were at a position, in a temporary in-memory database that is thrown away
 * after: the live views are never touched. `overdue` is judged on the day of that position's event.
 */
export async function replayState(
  reader: EventReader,
  projections: readonly ProjectionFactory[],
  at: number,
  groups: readonly string[],
  onProgress?: (position: number) => void,
): Promise<ReplayedState> {
  const scratch = await openDatabase({ url: ':memory:' });
  try {
    const sqlite = scratch.sqlite;
    const generation = new ViewGeneration(sqlite);
    const applied = projections.map((factory) => factory(sqlite, generation));
    const copy = logUpTo(sqlite, reader.sqlite, at);
    let after = 0;
    let recordedAt: string | null = null;
    while (after < at) {
      const page = reader.readPage(after, Math.min(PAGE, at - after));
      if (page.length === 0) break;
      sqlite.transaction(() => {
        for (const event of page) {
          copy?.(event);
          for (const projection of applied) projection.apply(event);
        }
      })();
      after = page[page.length - 1]?.position ?? at;
      recordedAt = page[page.length - 1]?.recordedAt ?? recordedAt;
      onProgress?.(after);
      // Let other requests run between pages of a long replay.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const today = recordedAt === null ? '0000-00-00' : utcDay(new Date(recordedAt));
    const actionItems = new ActionItemQueries(sqlite);
    const proposals = new ProposalQueries(sqlite, new SearchTables(sqlite), actionItems);
    return {
      position: after,
      recordedAt,
      groups: groups.map((group) => ({
        group,
        position: after,
        recordedAt,
        proposals: proposals.groupViews(group),
        actionItems: actionItems.groupViews(group, today),
      })),
      editions: editionsIn(sqlite, generation),
    };
  } finally {
    await scratch.close();
  }
}

/** Every edition in the scratch database, newest first, each with its declaration. */
function editionsIn(sqlite: Sqlite, generation: ViewGeneration): EditionState[] {
  const editions = new EditionQueries(sqlite);
  const declarations = new DeclarationQueries(sqlite);
  const members = new Directory(sqlite, generation).entities().filter((entity) => entity.kind === 'member').length;
  return editions.list().flatMap(({ id }) => {
    const record = editions.record(id);
    if (!record) return [];
    const stored = declarations.view(id);
    const declaration = stored ? (({ editionTitle: _title, ...view }) => view)(stored) : null;
    return [{ edition: editionView(record, members, () => true), declaration }];
  });
}

/**
 * The views read parts of themselves through the log (a proposal's comments and the head of its stream,
 * see proposals/queries.ts), so the scratch database needs the log as it stood at the position replayed.
 * With a database file, it reads the live log itself, attached, through a temporary view that ends at that
 * position (a temporary view's name comes first in SQLite's search order, before the scratch's own empty
 * table): the log only grows, so what it holds up to that position does not change. An in-memory database
 * cannot be attached from another connection: its events are copied as they are replayed (the returned
 * function), which costs memory in proportion to the log (fine for the databases kept in memory: tests).
 */
function logUpTo(scratch: Sqlite, live: Sqlite, at: number): ((event: StoredEvent) => void) | undefined {
  if (!live.memory) {
    // Raw SQL: ATTACH and a temporary view are statements Kysely does not build.
    scratch.prepare('ATTACH DATABASE ? AS log').run(live.name);
    scratch.exec(
      `CREATE TEMP VIEW events AS SELECT * FROM log.events WHERE position <= ${Math.max(0, Math.trunc(at))}`,
    );
    return undefined;
  }
  const insert = prepareEventInsert(scratch);
  return (event) => insert.run(...eventToRow(event));
}
