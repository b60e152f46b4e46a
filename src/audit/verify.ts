import { eventHash, GENESIS_HASH } from '../eventStore/hash';
import { type EventRow, rowToEvent } from '../eventStore/read';
import type { StoredEvent } from '../eventStore/types';

export interface VerifyFailure {
  position: number;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  head: { position: number; hash: string };
  failure?: VerifyFailure;
}

/**
 * Walks events in position order and checks what an auditor relies on: positions consecutive from the
 * start, each stream's versions consecutive from 1, every prev_hash naming the previous event's hash, and
 * every hash recomputed from the event's content. Stops at the first bad position.
 */
export class ChainVerifier {
  private position: number;
  private hash: string;
  private checked = 0;
  private readonly versions = new Map<string, number>();
  failure: VerifyFailure | undefined;

  /** Starts after a known position and hash (the genesis by default). */
  constructor(
    start: { position: number; hash: string } = { position: 0, hash: GENESIS_HASH },
    private readonly checkVersions = start.position === 0,
  ) {
    this.position = start.position;
    this.hash = start.hash;
  }

  /** Checks one more event; returns false once a failure has been found. */
  push(event: StoredEvent): boolean {
    if (this.failure) return false;
    const expectedPosition = this.position + 1;
    const fail = (reason: string) => {
      this.failure = { position: expectedPosition, reason };
      return false;
    };
    if (event.position !== expectedPosition) {
      return fail(
        `expected position ${expectedPosition}, found ${event.position}: an event is missing or out of order`,
      );
    }
    if (event.prevHash !== this.hash) return fail("prev_hash does not name the previous event's hash");
    if (eventHash(event.prevHash, event) !== event.hash) return fail("the hash does not match the event's content");
    if (this.checkVersions) {
      const expectedVersion = (this.versions.get(event.streamId) ?? 0) + 1;
      if (event.version !== expectedVersion) {
        return fail(`stream ${event.streamId} expected version ${expectedVersion}, found ${event.version}`);
      }
      this.versions.set(event.streamId, event.version);
    }
    this.position = event.position;
    this.hash = event.hash;
    this.checked += 1;
    return true;
  }

  /** Checks one stored row; a row whose data or metadata is not JSON fails at its position (not a crash). */
  pushRow(row: EventRow): boolean {
    if (this.failure) return false;
    let event: StoredEvent;
    try {
      event = rowToEvent(row);
    } catch {
      this.failure = { position: row.position, reason: 'the stored data or metadata is not valid JSON' };
      return false;
    }
    return this.push(event);
  }

  result(): VerifyResult {
    const result: VerifyResult = {
      ok: this.failure === undefined,
      checked: this.checked,
      head: { position: this.position, hash: this.hash },
    };
    if (this.failure) result.failure = this.failure;
    return result;
  }
}

/** Verifies events from the genesis, reporting progress every 10,000. */
export function verifyEvents(events: Iterable<StoredEvent>, onProgress?: (checked: number) => void): VerifyResult {
  return verifyAll(events, (verifier, event) => verifier.push(event), onProgress);
}

/** Verifies stored rows (what the database holds, before any parsing) from the genesis. */
export function verifyRows(rows: Iterable<EventRow>, onProgress?: (checked: number) => void): VerifyResult {
  return verifyAll(rows, (verifier, row) => verifier.pushRow(row), onProgress);
}

function verifyAll<T>(
  items: Iterable<T>,
  push: (verifier: ChainVerifier, item: T) => boolean,
  onProgress?: (checked: number) => void,
): VerifyResult {
  const verifier = new ChainVerifier();
  let count = 0;
  for (const item of items) {
    if (!push(verifier, item)) break;
    count += 1;
    if (onProgress && count % 10_000 === 0) onProgress(count);
  }
  return verifier.result();
}
