import type { LogPages, PageEntry } from './pages';
import { CLOSE } from './protocol';
import type { Renderer } from './render';
import type { Session, Subscription } from './session';
import { belongsTo, streamOf } from './topics';
import { FrameBatch } from './wire';

/** Bytes catch-up hands to a socket in one write. */
const BATCH_BYTES = 512 * 1024;

/** Pages asked of the hub's page reader thread at a time (the next one to render included). */
const PAGES_AHEAD = 8;

/** Pages read ahead in all, including those this loop reads itself after a light page (LIGHT_SHARE). */
const MAX_PAGES_AHEAD = 10;

/**
 * A page of which fewer entries than this share are sent to the subscriber is light to render (a topic
 * that holds few of the log's events): after one, this loop reads pages itself while the thread is behind.
 */
const LIGHT_SHARE = 0.25;

/** What catch-up needs of the live hub (`LiveHub` is one). */
export interface CatchUpHub {
  /** The last position published live: catch-up reads the log up to it, then hands over to the hub. */
  readonly published: number;
  /** Events read from the log per page. */
  readonly catchUpPageSize: number;
  readonly maxBufferedBytes: number;
  readonly pages: Pick<LogPages, 'read' | 'readStream' | 'fetch'>;
  /** A renderer judging views and visibility as of now, with streams' versions remembered in `versions`. */
  catchUpRenderer(versions: Map<string, number>): Renderer;
  /** Logs a failure of catch-up's own work. */
  failed(error: unknown, what: string): void;
}

/** A page of one catch-up: its entries, and the last position it accounts for (none up to it is left unread). */
interface Page {
  entries: PageEntry[];
  until: number;
}

/** Where a catch-up's pages come from: the whole log (`log` and group topics) or one item's stream. */
interface PageSource {
  take(after: number, light: boolean): Promise<Page>;
}

/** A page being read ahead: positions (after, until]. */
interface PageAhead {
  after: number;
  until: number;
  page: Promise<PageEntry[]>;
  /** Whether `page` has settled (a page read here is ready at once). */
  ready: boolean;
}

/**
 * The pages of one catch-up, read ahead of the one being rendered. The first page (and the first after a
 * reset) is read here at once, so that a short catch-up, such as a client resuming from a recent `since`,
 * never waits behind long ones for the hub's one reader thread; the next pages are asked of the thread.
 * After a light page, this loop would only wait for the thread, so it reads pages further ahead itself
 * and the two share the reading; after a heavy one, rendering is what limits the catch-up, and a page
 * read here would be one that the thread could have read beside it.
 */
export class ReadAhead implements PageSource {
  private readonly slots: PageAhead[] = [];
  /** Pages this loop has read itself (the rest came from the reader thread, or were read here by `fetch`). */
  pagesReadHere = 0;

  constructor(
    private readonly hub: CatchUpHub,
    private readonly topic: string,
    private readonly wanted: () => boolean,
  ) {}

  /** The page after `after` (which a page read ahead is used for only if it starts exactly there). */
  async take(after: number, light: boolean): Promise<Page> {
    if (this.slots[0]?.after !== after) this.slots.length = 0;
    if (this.slots.length === 0) this.push(after, true);
    for (let end = this.next(); end !== undefined && this.slots.length < PAGES_AHEAD; end = this.next())
      this.push(end, false);
    if (light) {
      for (
        let end = this.next();
        end !== undefined && !this.slots[0]?.ready && this.slots.length < MAX_PAGES_AHEAD;
        end = this.next()
      ) {
        this.push(end, true);
      }
    }
    const slot = this.slots.shift() as PageAhead;
    return { entries: await slot.page, until: slot.until };
  }

  /** Positions are dense: a page of (after, until] ends at `until`, where the next one starts. */
  private next(): number | undefined {
    const end = this.slots.at(-1)?.until;
    return end !== undefined && end < this.hub.published ? end : undefined;
  }

  private push(after: number, here: boolean): void {
    const { hub, topic } = this;
    const until = Math.min(after + hub.catchUpPageSize, hub.published);
    const slot: PageAhead = { after, until, ready: here, page: Promise.resolve([]) };
    if (here) {
      this.pagesReadHere += 1;
      slot.page = Promise.resolve(hub.pages.read(after, until, hub.catchUpPageSize, topic));
    } else {
      slot.page = hub.pages.fetch(after, until, hub.catchUpPageSize, topic, this.wanted);
      // Also keeps a page that is never awaited (the subscription ended) from being an unhandled rejection.
      slot.page.then(
        () => (slot.ready = true),
        () => (slot.ready = true),
      );
    }
    this.slots.push(slot);
  }
}

/**
 * The pages of an item topic's catch-up: the item's own events, read through the stream's index on the
 * main connection (a few rows each), so that its cost follows the item, not the length of the log.
 */
class StreamPages implements PageSource {
  /** The version of the last entry read: the next page seeks past it in the stream's index. */
  private version = 0;

  constructor(
    private readonly hub: CatchUpHub,
    private readonly topic: string,
    private readonly stream: string,
  ) {}

  async take(after: number): Promise<Page> {
    const { hub } = this;
    const until = hub.published;
    const entries = hub.pages.readStream(this.stream, this.version, after, until, hub.catchUpPageSize, this.topic);
    const last = entries.at(-1);
    if (last) this.version = last.version;
    return { entries, until: last && entries.length === hub.catchUpPageSize ? last.position : until };
  }
}

/**
 * Sends a subscription the events after its `since`, page by page from the log, then makes it live.
 *
 * Catch-up reads the log up to the hub's `published`; once it has caught up (and written everything it
 * rendered), it sets `live` in the same synchronous step as the check, so every later position reaches the
 * subscription through the hub and every earlier one came from the log: no gap and no duplicate, however
 * writers interleave. Events published meanwhile are not queued: the next page reads them from the log.
 *
 * Frames go out in batches of at most BATCH_BYTES, one write each, and a batch is written only once the
 * previous one has left the process: catch-up paces itself to the client instead of filling the send
 * buffer (which would close the socket with 1013). Reading ahead changes when the log is read, never what is
 * sent: a page is used only if it starts exactly at `highWater`, and never reaches past the `published` of
 * when it was asked for. Memory stays bounded however slow the reader: MAX_PAGES_AHEAD pages per catch-up,
 * the two batch buffers, and MAX_POSTED requests on the reader thread for all catch-ups (`LogPages`).
 */
export async function runCatchUp(hub: CatchUpHub, session: Session, subscription: Subscription): Promise<void> {
  const budget = Math.min(BATCH_BYTES, hub.maxBufferedBytes / 2);
  const topic = subscription.topic.name;
  // Streams' versions, kept for the whole catch-up: one that has grown since only means that an older
  // event gets the (current) view too; the event that made it grow carries it anyway.
  const latest = new Map<string, number>();
  const batch = new FrameBatch(budget + 64 * 1024);
  let inFlight: Promise<boolean> = Promise.resolve(true);
  const write = async (): Promise<boolean> => {
    // The batch's other buffer is refilled only once the write before it has completed.
    if (!(await inFlight)) return false;
    // An unsubscribe meanwhile ends the subscription: its frames must not follow its `unsubscribed`.
    if (subscription.cancelled || session.closed) return false;
    inFlight = session.sendBatch(batch.take());
    return true;
  };
  const stream = streamOf(subscription.topic);
  const pages: PageSource = stream
    ? new StreamPages(hub, topic, stream)
    : new ReadAhead(hub, topic, () => !subscription.cancelled && !session.closed);
  // Whether the last page was light to render (see LIGHT_SHARE); the first is taken as heavy.
  let light = false;
  try {
    while (!subscription.cancelled && !session.closed) {
      if (subscription.highWater >= hub.published) {
        if (batch.bytes === 0) {
          subscription.live = true;
          return;
        }
        if (!(await write())) return;
        continue;
      }
      const page = await pages.take(subscription.highWater, light);
      if (subscription.cancelled || session.closed) return;
      let renderer = hub.catchUpRenderer(latest);
      let yielded = false;
      let sent = 0;
      for (const entry of page.entries) {
        if (subscription.cancelled) return;
        subscription.highWater = entry.position;
        if (!belongsTo(entry, subscription.topic)) continue;
        const view = renderer.viewOf(topic, entry, session.actor);
        if (view === undefined) continue;
        sent += 1;
        batch.append(entry.head, view, '}');
        if (batch.bytes < budget) continue;
        if (!(await write())) return;
        // Awaiting let other commits through: views and visibility are judged afresh from here on.
        renderer = hub.catchUpRenderer(latest);
        yielded = true;
      }
      // Positions of the page that were not entries (another stream's, for an item topic) are dealt with too.
      subscription.highWater = Math.max(subscription.highWater, page.until);
      light = sent < page.entries.length * LIGHT_SHARE;
      if (!yielded) await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    // A failed read must not leave a half-caught-up subscription looking healthy: the client resumes with `since`.
    hub.failed(error, 'a catch-up failed');
    session.close(CLOSE.internalError, 'catch-up failed');
  }
}
