import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Written only for PostgreSQL: they run in the `postgres` project alone. */
const POSTGRES_ONLY = [
  'test/db/pgStatements.test.ts',
  'test/eventStore/postgres.test.ts',
  'test/live/instances.test.ts',
  'test/reliability/failover.test.ts',
  'test/reliability/postgresFaults.test.ts',
  'test/cli/postgresAudit.test.ts',
  'test/proposals/search/postgresSearch.test.ts',
];

/**
 * Not run again on PostgreSQL: tests of code that never touches the log's store (deciders, projections and
 * the search index, which fold into SQLite on both stores, wire formats, configuration), and SQLite's own
 * faults and files (a full disk, its migrations, file backups), whose PostgreSQL counterparts are above.
 */
const STORE_INDEPENDENT = [
  'test/**/decider.test.ts',
  'test/**/projection.test.ts',
  'test/editions/declaration/canonical.test.ts',
  'test/db/statements.test.ts',
  'test/config.test.ts',
  'test/cli/missingInput.test.ts',
  'test/eventStore/migrations.test.ts',
  'test/eventStore/viewGeneration.test.ts',
  'test/live/rules.test.ts',
  'test/live/wire.test.ts',
  'test/proposals/search/search.test.ts',
  'test/proposals/search/searchIndex.test.ts',
  // SQLite's FTS5 index, built beside a rebuild; PostgreSQL's index is the log database's own
  // (test/proposals/search/postgresSearch.test.ts).
  'test/proposals/search/searchBuild.test.ts',
  'test/tokens/cli.test.ts',
  'test/tokens/signInLink.test.ts',
  'test/web/catalogue.test.ts',
  'test/workers/threadModule.test.ts',
  'test/reliability/unavailable.test.ts',
  'test/reliability/backup.test.ts',
  'test/reliability/restore.test.ts',
  // It rewrites SQLite's file behind the triggers; the PostgreSQL log's tampering is in postgresAudit.test.ts.
  'test/audit/tamper.test.ts',
  // The page's generated API types against the OpenAPI document.
  'test/web/apiTypes.test.ts',
  // The API documents' page in Chromium: it reads no data of either store.
  'test/web/browser/docs.test.ts',
];

// The whole suite runs on both stores: every test app of the `postgres` project gets a schema of its own on
// the run's PostgreSQL server (test/support/app.ts reads TEST_STORE).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/web/browser/globalSetup.ts', 'test/support/postgresGlobalSetup.ts'],
    pool: 'forks',
    // Vitest's default is one worker per core but one: a single worker on two cores, where the suite on both
    // stores takes past ten minutes. The test files wait on servers, PostgreSQL and Chromium much of the time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', env: { TEST_STORE: 'sqlite' }, exclude: POSTGRES_ONLY },
      },
      {
        extends: true,
        test: { name: 'postgres', env: { TEST_STORE: 'postgres' }, exclude: STORE_INDEPENDENT },
      },
    ],
  },
});
