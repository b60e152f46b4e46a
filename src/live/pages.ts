import { Worker } from 'node:worker_threads';
import type { Sqlite } from '../eventStore/database';
import type { PageReply, PageRequest, ReaderData, ReaderMessage } from './pageReaderThread';
import { type PageRow, preparePage, prepareStreamPage } from './pageStatements';
import type { LogEntry } from './topics';
import { threadModuleSource } from '../workers/threadModule';

/**
 * A log entry for catch-up: what visibility and views read of the event, and the start of its `event` frame
 * on the topic being caught up, up to and including `"view":` (the caller appends the view's JSON and `}`),
 * as text or as its UTF-8 bytes. `data` holds only the two fields visibility reads (`groupId` when it is a
 * string, and `visibility`).
 */
export interface PageEntry extends LogEntry {
  head: string | Buffer;
}

/** Requests on the reader thread at a time, for all catch-ups together (each asks for a few pages ahead). */
const MAX_POSTED = 16;

/** Settles a request: with the thread's reply, or null when it was dropped unread (nobody wants it). */
interface Waiter {
  resolve: (reply: PageReply | null) => void;
  reject: (error: Error) => void;
}

/**
 * Pages of the log for catch-up, like `EventReader.readPage` but with no parse-and-serialise round trip in
 * JavaScript: one string per event (its frame's head, assembled by SQLite) crosses into JavaScript instead
 * of ten columns and a parsed object.
 *
 * For a log in a file, `fetch` reads pages on a reader thread with its own read-only connection (WAL: it
 * sees every committed event, and catch-up only asks for positions up to `published`, which are
 * committed), so that reading the next page overlaps rendering and writing this one on the main thread.
 * The log is append-only, so a page means the same whichever connection reads it. Should the thread fail
 * or come back short, the page is read on the main connection: it only ever costs speed.
 *
 * At most MAX_POSTED requests are on the thread at a time, whatever the number of catch-ups; the others
 * wait here, in order, and one whose catch-up has ended by its turn (`wanted`) is dropped unread, so a
 * client subscribing and unsubscribing in a loop cannot pile reads up on the thread.
 */
export class LogPages {
  private readonly page;
  private readonly streamPage;
  /** Log entries read for catch-up, here and on the reader thread (tests read it). */
  entriesRead = 0;
  private reader: Worker | undefined;
  private readerReady = false;
  private readerFailed = false;
  private readerStarting = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private readonly queued: { request: PageRequest; waiter: Waiter; wanted: () => boolean }[] = [];

  constructor(private readonly sqlite: Sqlite) {
    this.page = preparePage(sqlite);
    this.streamPage = prepareStreamPage(sqlite);
  }

  /** Up to `limit` entries after position `after` and up to `until`, with frame heads for `topic`, read here. */
  read(after: number, until: number, limit: number, topic: string): PageEntry[] {
    return this.entriesOfRows(this.page.all({ after, until, limit, topic }));
  }

  /**
   * `read` for the events of one stream only, through its index from past `version` (the last one read,
   * or 0), so that a long stream is not walked from its start for every page.
   */
  readStream(stream: string, version: number, after: number, until: number, limit: number, topic: string): PageEntry[] {
    return this.entriesOfRows(this.streamPage.all({ stream, version, after, until, limit, topic }));
  }

  private entriesOfRows(rows: PageRow[]): PageEntry[] {
    this.entriesRead += rows.length;
    const entries = new Array<PageEntry>(rows.length);
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as PageRow;
      entries[i] = {
        position: row[0],
        streamId: row[1],
        version: row[2],
        data: { groupId: row[3], visibility: row[4] },
        head: row[5],
      };
    }
    return entries;
  }

  /**
   * The same page as `read`, from the reader thread when there is one; never fewer entries than `read` would
   * give, unless `wanted` says by the request's turn that nobody needs it any more (then none).
   */
  async fetch(
    after: number,
    until: number,
    limit: number,
    topic: string,
    wanted: () => boolean = () => true,
  ): Promise<PageEntry[]> {
    const reader = this.readerThread();
    // Until the thread has opened the log, pages are read here rather than waited for.
    if (!reader || !this.readerReady) return this.read(after, until, limit, topic);
    let reply: PageReply | null;
    try {
      reply = await new Promise<PageReply | null>((resolve, reject) => {
        this.queued.push({
          request: { id: this.nextId++, after, until, limit, topic },
          waiter: { resolve, reject },
          wanted,
        });
        this.post(reader);
      });
    } catch {
      return this.read(after, until, limit, topic);
    }
    if (reply === null) return [];
    const count = reply.positions.length;
    const expected = Math.min(limit, until - after);
    // Positions are dense, so a full page has `expected` entries; a short one is completed here.
    if (count < expected) {
      const last = count > 0 ? (reply.positions[count - 1] as number) : after;
      return [...this.entriesOf(reply), ...this.read(last, until, expected - count, topic)];
    }
    return this.entriesOf(reply);
  }

  /** Requests waiting for a place on the reader thread (MAX_POSTED are on it at most). */
  get queuedRequests(): number {
    return this.queued.length;
  }

  /** Hands queued requests to the thread while it has fewer than MAX_POSTED, dropping those nobody wants. */
  private post(reader: Worker): void {
    while (this.waiting.size < MAX_POSTED) {
      const next = this.queued.shift();
      if (!next) return;
      if (!next.wanted()) {
        next.waiter.resolve(null);
        continue;
      }
      this.waiting.set(next.request.id, next.waiter);
      reader.postMessage(next.request);
    }
  }

  /** Whether pages are read on the reader thread (a log in a file, and the thread is up). */
  get readsOnThread(): boolean {
    return this.reader !== undefined && this.readerReady;
  }

  /** Starts the reader thread ahead of the first catch-up (the hub does when it starts). */
  prepare(): void {
    this.readerThread();
  }

  /** Stops the reader thread (the hub is closing). */
  close(): void {
    this.readerFailed = true;
    this.readerReady = false;
    void this.reader?.terminate();
    this.reader = undefined;
  }

  private entriesOf(reply: PageReply): PageEntry[] {
    const bytes = Buffer.from(reply.bytes);
    const count = reply.positions.length;
    this.entriesRead += count;
    const entries = new Array<PageEntry>(count);
    let start = 0;
    for (let i = 0; i < count; i += 1) {
      const end = reply.ends[i] as number;
      entries[i] = {
        position: reply.positions[i] as number,
        streamId: reply.streamIds[i] as string,
        version: reply.versions[i] as number,
        data: { groupId: reply.groupIds[i], visibility: reply.visibilities[i] },
        head: bytes.subarray(start, end),
      };
      start = end;
    }
    return entries;
  }

  /** The reader thread once it is up; the first call starts it. */
  private readerThread(): Worker | undefined {
    if (this.reader || this.readerFailed || this.readerStarting) return this.reader;
    if (this.sqlite.memory || !this.sqlite.open) {
      this.readerFailed = true;
      return undefined;
    }
    this.readerStarting = true;
    const workerData: ReaderData = { file: this.sqlite.name, sql: this.page.source };
    threadModuleSource(new URL('./pageReaderThread.ts', import.meta.url))
      .then((code) => {
        if (!this.readerFailed) this.attach(new Worker(code, { eval: true, execArgv: [], workerData }));
      })
      .catch(() => {
        this.readerFailed = true;
      });
    return undefined;
  }

  private attach(reader: Worker): void {
    reader.unref();
    reader.on('message', (reply: ReaderMessage) => {
      if ('ready' in reply) {
        this.readerReady = this.reader === reader;
        return;
      }
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply);
      if (this.reader === reader) this.post(reader);
    });
    const fail = () => {
      this.readerFailed = true;
      this.readerReady = false;
      this.reader = undefined;
      // Every request, on the thread or waiting for it, is read on the main connection instead.
      for (const waiter of this.waiting.values()) waiter.reject(new Error('the page reader stopped'));
      this.waiting.clear();
      for (const { waiter } of this.queued.splice(0)) waiter.reject(new Error('the page reader stopped'));
    };
    reader.on('error', fail);
    reader.on('exit', fail);
    this.reader = reader;
  }
}
