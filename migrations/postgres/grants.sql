-- What the service's own role needs on a migrated PostgreSQL log, and nothing more: it reads and appends
-- events, moves the head, keeps idempotency keys and claims, keeps the search index (which follows the log),
-- and checks the migrations. No UPDATE or DELETE on the log, no DDL. Run as the schema's owner, after the
-- first start migrated it, and again after a start that applied a new migration (docs/operations.md):
--   psql "$OWNER_URL" -v role=dialogue_app -v schema=public -f migrations/postgres/grants.sql
GRANT USAGE ON SCHEMA :"schema" TO :"role";
GRANT SELECT, INSERT ON events, idempotency_keys, claims TO :"role";
GRANT SELECT, UPDATE ON log_head TO :"role";
GRANT SELECT ON dialogue_migrations TO :"role";
GRANT SELECT, INSERT, UPDATE ON proposal_search TO :"role";
GRANT SELECT, UPDATE ON proposal_search_position TO :"role";
