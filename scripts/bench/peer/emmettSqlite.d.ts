/**
 * The part of @event-driven-io/emmett-sqlite 0.38.5 the append scenario calls, declared here so that the
 * project type-checks before `npm run bench` has installed the peer (its own types are not at hand then).
 */
export interface SQLiteConnection {
  close(): void;
  command(sql: string, values?: unknown[]): Promise<unknown>;
}

export type AppendEventResult = { success: true; nextStreamPosition: bigint; lastGlobalPosition: bigint } | { success: false };

export interface PeerEvent {
  type: string;
  data: Record<string, unknown>;
}

export function sqliteConnection(options: { fileName: string }): SQLiteConnection;
export function createEventStoreSchema(connection: SQLiteConnection): Promise<void>;
export function appendToStream(
  connection: SQLiteConnection,
  streamName: string,
  streamType: string,
  messages: PeerEvent[],
  options?: { expectedStreamVersion?: bigint },
): Promise<AppendEventResult>;
