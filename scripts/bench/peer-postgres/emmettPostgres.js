// Resolved from this folder, so the peer comes from scripts/bench/peer-postgres/node_modules, not the main install.
export { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
