import { z } from 'zod';

/** A moment as the log records it: ISO 8601 in UTC (`Date.toISOString()`), documented as `date-time`. */
export const Timestamp = z.string().meta({ format: 'date-time' });

export const Role = z.enum(['delegate', 'secretariat', 'auditor']);
export type Role = z.infer<typeof Role>;

/** Who did it: recorded in every event's metadata. */
export const ActorRef = z.strictObject({
  entityId: z.string().nullable(),
  person: z.string(),
  role: Role,
});
export type ActorRef = z.infer<typeof ActorRef>;

export const EventMetadata = z.strictObject({
  actor: ActorRef,
  requestId: z.string(),
  idempotencyKey: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/** An event as stored and as exported (contract section 3). */
export const StoredEvent = z
  .strictObject({
    position: z.number().int().min(1),
    id: z.string(),
    streamId: z.string(),
    version: z.number().int().min(1),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    metadata: EventMetadata,
    recordedAt: Timestamp,
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'StoredEvent' });
export type StoredEvent = z.infer<typeof StoredEvent>;

/**
 * What a writer expects of the stream: an exact version, that it does not exist yet, that it exists,
 * or nothing at all. Every mode is enforced.
 */
export type ExpectedVersion = number | 'no-stream' | 'exists' | 'any';

export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
}

/** The answer a write gave, kept as data under its idempotency key so that a repeat gets it again. */
export interface KeptResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface Receipt {
  position: number;
  hash: string;
}

export interface Appended {
  streamId: string;
  /** The stream's version after the append. */
  version: number;
  /** The global position of the last event appended. */
  position: number;
  events: StoredEvent[];
  /** The chain head after the append. */
  receipt: Receipt;
}

/** An append made under an idempotency key, with the answer to keep for it (data, computed before the append). */
export interface IdempotentAppend {
  /** Already scoped to the caller (token). */
  key: string;
  /** Hash of what the request asked for; the same key with another fingerprint is refused. */
  fingerprint: string;
  /** The answer without the append's position, version and receipt, which the ledger adds. */
  response: KeptResponse;
}

/**
 * The idempotency keys (src/commands/idempotency.ts), which the store consults inside the append's
 * transaction: a key already kept is the append's outcome and nothing is appended; a new one is kept with it.
 */
export interface IdempotencyLedger {
  replay(request: { key: string; fingerprint: string }): KeptResponse | undefined;
  keep(request: IdempotentAppend, appended: Appended, recordedAt: string): KeptResponse;
}

export interface AppendRequest {
  streamId: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  metadata: EventMetadata;
  /**
   * Keys unique across the whole log (`edition-number:2027`). SQLite checks them in the views' own unique
   * constraints inside the append's transaction; PostgreSQL, whose views are each instance's replica, keeps
   * them in a table checked under the head's lock (`ClaimTaken` when held).
   */
  claims?: string[];
  idempotency?: IdempotentAppend;
}

export type AppendOutcome =
  | { kind: 'appended'; appended: Appended; response?: KeptResponse }
  | { kind: 'replayed'; response: KeptResponse };

/** An append waiting in the store's queue for its group commit. */
export interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}
