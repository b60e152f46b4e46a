/**
 * The page reader thread (started by `LogPages`): its own read-only connection to the log's file, the main
 * thread's page statement, and each page sent back as columns with the heads' UTF-8 bytes end to end
 * (transferred, not copied). This module is a worker's entry point: import only its types elsewhere. It is
 * run stripped of its types, not bundled (`LogPages`): it may import packages, but only types from ours.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { PageBounds, PageRow } from './pageStatements';

/** What the thread is started with. */
export interface ReaderData {
  file: string;
  /** The page statement's SQL as the main thread compiled it (`preparePage`): the thread need not load Kysely. */
  sql: string;
}

export interface PageRequest extends PageBounds {
  id: number;
}

/** A page as the thread sends it, one array per column. */
export interface PageReply {
  id: number;
  positions: Float64Array<ArrayBuffer>;
  versions: Float64Array<ArrayBuffer>;
  streamIds: string[];
  groupIds: (string | null)[];
  visibilities: unknown[];
  ends: Uint32Array<ArrayBuffer>;
  bytes: ArrayBuffer;
}

/** A request the thread could not read: the main thread reads that page itself. */
export interface PageFailure {
  id: number;
  error: string;
}

/** The thread's first message: the log is open and the statement prepared. */
export interface ReaderReady {
  ready: true;
}

export type ReaderMessage = ReaderReady | PageReply | PageFailure;

function replyOf(id: number, rows: PageRow[]): PageReply {
  const count = rows.length;
  const reply: PageReply = {
    id,
    positions: new Float64Array(count),
    versions: new Float64Array(count),
    ends: new Uint32Array(count),
    streamIds: new Array<string>(count),
    groupIds: new Array<string | null>(count),
    visibilities: new Array<unknown>(count),
    bytes: new ArrayBuffer(0),
  };
  let size = 0;
  for (const row of rows) size += Buffer.byteLength(row[5]);
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    const row = rows[i] as PageRow;
    reply.positions[i] = row[0];
    reply.streamIds[i] = row[1];
    reply.versions[i] = row[2];
    reply.groupIds[i] = row[3];
    reply.visibilities[i] = row[4];
    at += bytes.write(row[5], at);
    reply.ends[i] = at;
  }
  reply.bytes = bytes.buffer as ArrayBuffer;
  return reply;
}

function serve(port: NonNullable<typeof parentPort>, { file, sql }: ReaderData): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const page = db.prepare<[PageBounds], PageRow>(sql).raw(true);
  port.postMessage({ ready: true } satisfies ReaderReady);
  port.on('message', ({ id, after, until, limit, topic }: PageRequest) => {
    try {
      const reply = replyOf(id, page.all({ after, until, limit, topic }));
      port.postMessage(reply, [reply.bytes, reply.positions.buffer, reply.versions.buffer, reply.ends.buffer]);
    } catch (error) {
      port.postMessage({ id, error: String((error instanceof Error && error.message) || error) } satisfies PageFailure);
    }
  });
}

if (parentPort) serve(parentPort, workerData as ReaderData);
