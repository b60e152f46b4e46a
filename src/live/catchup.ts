import type { LiveHub } from './hub';
import { CLOSE } from './protocol';
import type { Session, Subscription } from './session';
import { belongsTo } from './topics';
import type { TextFrame } from './wire';

/** Bytes catch-up hands to a socket in one write. */
const BATCH_BYTES = 512 * 1024;

/**
 * Sends a subscription the events after its `since`, page by page from the log, then makes it live.
 *
 * The hub's `published` is the last position live subscribers have been offered. Catch-up reads the log
 * up to it; when it has caught up (and written everything it rendered), it sets `live` in the same
 * synchronous step as the check, so every later position reaches the subscription through the hub and
 * every earlier one came from the log: no gap and no duplicate, however writers interleave. Events the hub
 * publishes meanwhile are not held in a queue: they are in the log, and the next page reads them (memory
 * stays bounded for a slow reader).
 *
 * Frames go out in batches of bounded size, one write each; a batch is written only once the previous one
 * has left the process, so catch-up paces itself to the client instead of filling the send buffer (which
 * would close the socket with 1013), while the next batch is rendered as the previous one drains.
 */
export async function runCatchUp(hub: LiveHub, session: Session, subscription: Subscription): Promise<void> {
  const budget = Math.min(BATCH_BYTES, hub.maxBufferedBytes / 2);
  // Streams' versions, kept for the whole catch-up: one that has grown since only means that an older
  // event gets the (current) view too; the event that made it grow carries it anyway.
  const latest = new Map<string, number>();
  let batch: TextFrame[] = [];
  let bytes = 0;
  let inFlight: Promise<boolean> = Promise.resolve(true);
  const write = async (): Promise<boolean> => {
    if (!(await inFlight)) return false;
    inFlight = session.sendAll(batch);
    batch = [];
    bytes = 0;
    return true;
  };
  try {
    while (!subscription.cancelled && !session.closed) {
      if (subscription.highWater >= hub.published) {
        if (batch.length === 0) {
          subscription.live = true;
          return;
        }
        if (!(await write())) return;
        continue;
      }
      const page = hub.pages.read(subscription.highWater, Math.min(hub.catchUpPageSize, hub.published - subscription.highWater));
      let renderer = hub.catchUpRenderer(latest);
      let yielded = false;
      for (const event of page) {
        if (subscription.cancelled) return;
        subscription.highWater = event.position;
        if (!belongsTo(event, subscription.topic)) continue;
        const frame = renderer.render(subscription.topic.name, event, event.json, session.actor);
        if (!frame) continue;
        batch.push(frame);
        bytes += frame.wire.length;
        if (bytes < budget) continue;
        if (!(await write())) return;
        // Awaiting let other commits through: views and visibility are judged afresh from here on.
        renderer = hub.catchUpRenderer(latest);
        yielded = true;
      }
      if (!yielded) await new Promise((resolve) => setImmediate(resolve));
    }
  } catch {
    // A failed read must not leave a half-caught-up subscription looking healthy: the client resumes with `since`.
    session.close(CLOSE.internalError, 'catch-up failed');
  }
}
