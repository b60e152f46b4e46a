/**
 * The part of @event-driven-io/emmett-postgresql 0.42.0 the PostgreSQL append scenario calls, declared here
 * so that the project type-checks before `npm run bench -- --store postgres` has installed the peer.
 */
export interface PeerEvent {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface AppendResult {
  nextExpectedStreamVersion: bigint;
  lastEventGlobalPosition: bigint;
  createdNewStream: boolean;
}

export interface PostgresEventStore {
  appendToStream(streamName: string, events: PeerEvent[], options?: { expectedStreamVersion?: bigint }): Promise<AppendResult>;
  schema: { migrate(): Promise<unknown> };
  withSession<T>(callback: (session: { eventStore: PostgresEventStore; close(): Promise<void> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function getPostgreSQLEventStore(
  connectionString: string,
  options?: { schema?: { autoMigration?: 'None' | 'CreateOrUpdate' } },
): PostgresEventStore;
