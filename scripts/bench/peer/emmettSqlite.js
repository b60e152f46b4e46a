// Resolved from this folder, so the peer comes from scripts/bench/peer/node_modules, not the main install.
export { appendToStream, createEventStoreSchema, sqliteConnection } from '@event-driven-io/emmett-sqlite';
