import type { LiveHub } from './hub';
import { CLOSE } from './protocol';
import type { Session, Subscription } from './session';
import { belongsTo } from './topics';
import type { TextFrame } from './wire';

/** Bytes catch-up hands to a socket at once; the next batch waits until these have left the process. */
const BATCH_BYTES = 256 * 1024;

/**
 * Sends a subscription the events after its `since`, page by page from the log, then makes it live.
 *
 * The hub's `published` is the last position live subscribers have been offered. Catch-up reads the log
 * up to it; when it has caught up, it sets `live` in the same synchronous step as the check, so every
 * later position reaches the subscription through the hub and every earlier one came from the log: no gap
 * and no duplicate, however writers interleave. Events the hub publishes meanwhile are not held in a
 * queue: they are in the log, and the next page reads them (memory stays bounded for a slow reader).
 * Frames go out in batches of a bounded size, each written once and awaited until it has left the
 * process, so catch-up paces itself to the client instead of filling the send buffer (which would close
 * the socket with 1013).
 */
export async function runCatchUp(hub: LiveHub, session: Session, subscription: Subscription): Promise<void> {
  const budget = Math.min(BATCH_BYTES, hub.maxBufferedBytes / 2);
  // Streams' versions, kept for the whole catch-up: one that has grown since only means that an older
  // event gets the (current) view too; the event that made it grow carries it anyway.
  const latest = new Map<string, number>();
  try {
    while (!subscription.cancelled && !session.closed) {
      const target = hub.published;
      if (subscription.highWater >= target) {
        subscription.live = true;
        return;
      }
      const page = hub.pages.read(subscription.highWater, Math.min(hub.catchUpPageSize, target - subscription.highWater));
      if (page.length === 0) {
        subscription.live = true;
        return;
      }
      let renderer = hub.catchUpRenderer(latest);
      let batch: TextFrame[] = [];
      let bytes = 0;
      let sent = false;
      for (const event of page) {
        if (subscription.cancelled) return;
        subscription.highWater = event.position;
        if (!belongsTo(event, subscription.topic)) continue;
        const frame = renderer.render(subscription.topic.name, event, event.json, session.actor);
        if (!frame) continue;
        batch.push(frame);
        bytes += frame.wire.length;
        if (bytes < budget) continue;
        if (!(await session.sendAll(batch))) return;
        // Awaiting let other commits through: views and visibility are judged afresh from here on.
        renderer = hub.catchUpRenderer(latest);
        batch = [];
        bytes = 0;
        sent = true;
      }
      if (batch.length > 0) {
        if (!(await session.sendAll(batch))) return;
      } else if (!sent) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  } catch {
    // A failed read must not leave a half-caught-up subscription looking healthy: the client resumes with `since`.
    session.close(CLOSE.internalError, 'catch-up failed');
  }
}
