import { withReceipt } from '../../commands/idempotency';
import { ClaimTaken, IdempotencyKeyReused } from '../../errors';
import { chainEvents } from '../chain';
import { checkExpectedVersion } from '../expectedVersion';
import type { AppendOutcome, AppendRequest, KeptResponse, Receipt, StoredEvent } from '../types';

/** One append's result in a batch: its outcome, or the error that refused it (the others still commit). */
export type BatchItemResult = { outcome: AppendOutcome; error?: undefined } | { outcome?: undefined; error: unknown };

/** What the log holds for a batch's streams, keys and claims, read under the head's lock. */
export interface BatchState {
  versions: Map<string, number>;
  kept: Map<string, { fingerprint: string; response: KeptResponse }>;
  held: Set<string>;
}

/** This instance's replica of the log: the head it has folded to and its streams' versions there. */
export interface LocalLog {
  head(): Receipt;
  version(streamId: string): number;
}

export interface KeptKey {
  key: string;
  fingerprint: string;
  response: KeptResponse;
  position: number;
  at: string;
}

/** A batch decided: each append's result and the rows to write for those accepted. */
export interface BatchPlan {
  items: BatchItemResult[];
  rows: StoredEvent[];
  keys: KeptKey[];
  claims: { key: string; position: number }[];
  head: Receipt;
}

/**
 * Decides a batch in order on the log's state (pure): a repeated key answers its first response, a wrong
 * expected version or a claim already held refuses its append only, and every accepted append continues
 * the chain after the one before it. The state given is updated as the batch goes.
 */
export function planBatch(requests: readonly AppendRequest[], start: Receipt, state: BatchState, now: Date): BatchPlan {
  const plan: BatchPlan = { items: [], rows: [], keys: [], claims: [], head: start };
  for (const request of requests) {
    try {
      plan.items.push({ outcome: planOne(request, plan, state, now) });
    } catch (error) {
      plan.items.push({ error });
    }
  }
  return plan;
}

function planOne(request: AppendRequest, plan: BatchPlan, state: BatchState, now: Date): AppendOutcome {
  const keyed = request.idempotency;
  const found = keyed && state.kept.get(keyed.key);
  if (keyed && found) {
    if (found.fingerprint !== keyed.fingerprint) throw new IdempotencyKeyReused();
    return { kind: 'replayed', response: found.response };
  }
  const current = state.versions.get(request.streamId) ?? 0;
  checkExpectedVersion(request.streamId, request.expectedVersion, current);
  const taken = request.claims?.find((key) => state.held.has(key));
  if (taken !== undefined) throw new ClaimTaken(taken);
  const appended = chainEvents(request, plan.head, current, now);
  plan.rows.push(...appended.events);
  state.versions.set(request.streamId, appended.version);
  plan.head = appended.receipt;
  for (const key of request.claims ?? []) {
    state.held.add(key);
    plan.claims.push({ key, position: appended.position });
  }
  if (!keyed) return { kind: 'appended', appended };
  const response = withReceipt(keyed.response, appended);
  state.kept.set(keyed.key, { fingerprint: keyed.fingerprint, response });
  plan.keys.push({ ...keyed, response, position: appended.position, at: now.toISOString() });
  return { kind: 'appended', appended, response };
}
