import type BetterSqlite3 from 'better-sqlite3';
import { type Expression, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from '../db/schema';
import { type Params, prepare } from '../db/statements';

/** The bounds of a page: positions (after, until], at most `limit` of them, with frame heads for `topic`. */
export interface PageBounds {
  after: number;
  until: number;
  limit: number;
  topic: string;
}

/** A page of one stream: `PageBounds`, from past the stream's `version` (the last one read, or 0). */
export interface StreamPageBounds extends PageBounds {
  stream: string;
  version: number;
}

/**
 * The columns of a page. SQLite assembles each frame's head, which is what `eventFrame(topic, position,
 * JSON.stringify(event), ...)` gives for the parsed event (the store writes `data` and `metadata` as
 * `JSON.stringify` output, the keys come in `StoredEvent` order, and `json_quote` writes the other strings as
 * JSON strings), and reads the two fields of `data` that visibility needs (`groupId` only when it is a JSON
 * string, as `visibleOf` requires). JSON functions and `printf` are SQLite's own: Kysely cannot say them.
 */
const HEAD_FORMAT =
  '{"type":"event","topic":%s,"position":%d,"event":{"position":%d,"id":%s,"streamId":%s,"version":%d,"type":%s,"data":%s,"metadata":%s,"recordedAt":%s,"prevHash":%s,"hash":%s},"view":';

function pageColumns(db: Kysely<Database>, topic: Expression<string>) {
  return db.selectFrom('events').select([
    'position',
    'stream_id',
    'version',
    sql<string | null>`CASE WHEN json_type(data, '$.groupId') = 'text' THEN json_extract(data, '$.groupId') END`.as(
      'group_id',
    ),
    sql<unknown>`json_extract(data, '$.visibility')`.as('visibility'),
    sql<string>`printf(${sql.lit(HEAD_FORMAT)}, json_quote(${topic}), position, position, json_quote(id),
      json_quote(stream_id), version, json_quote(type), data, metadata, json_quote(recorded_at),
      json_quote(prev_hash), json_quote(hash))`.as('head'),
  ]);
}

type PageQuery = ReturnType<typeof pageColumns>;
type Columns = PageQuery extends SelectQueryBuilder<Database, 'events', infer O> ? O : never;

/** A row of a page statement in raw mode (the reader thread and the main thread read arrays, not objects). */
export type PageRow = [
  position: Columns['position'],
  streamId: Columns['stream_id'],
  version: Columns['version'],
  groupId: Columns['group_id'],
  visibility: Columns['visibility'],
  head: Columns['head'],
];

/** A raw-mode statement: better-sqlite3's `raw(true)` turns each row into its columns in select order. */
export interface RawStatement<P> {
  all(bind: P): PageRow[];
  readonly source: string;
}

function raw<P>(statement: BetterSqlite3.Statement<[P], unknown>): RawStatement<P> {
  return statement.raw(true) as unknown as RawStatement<P>;
}

/** The log's page in position order; `until` bounds it by the hub's `published`. */
export function preparePage(sqlite: BetterSqlite3.Database): RawStatement<PageBounds> {
  return raw(
    prepare(sqlite, (db, p: Params<PageBounds>) =>
      pageColumns(db, p.topic)
        .where('position', '>', p.after)
        .where('position', '<=', p.until)
        .orderBy('position')
        .limit(p.limit),
    ),
  );
}

/**
 * The same entries for one stream, through the log's `UNIQUE(stream_id, version)` index: an item topic's
 * catch-up reads the item's own events, whatever the length of the log (its versions follow positions).
 */
export function prepareStreamPage(sqlite: BetterSqlite3.Database): RawStatement<StreamPageBounds> {
  return raw(
    prepare(sqlite, (db, p: Params<StreamPageBounds>) =>
      pageColumns(db, p.topic)
        .where('stream_id', '=', p.stream)
        .where('version', '>', p.version)
        .where('position', '>', p.after)
        .where('position', '<=', p.until)
        .orderBy('version')
        .limit(p.limit),
    ),
  );
}
