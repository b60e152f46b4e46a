import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type PgParams, preparePg } from '../../src/db/pgStatements';
import { PgLog } from '../../src/eventStore/postgres/pgLog';
import { freshPostgresUrl } from '../support/postgres';

const logs: PgLog[] = [];

async function openLog(): Promise<PgLog> {
  const url = await freshPostgresUrl();
  const log = await PgLog.open({ url, poolSize: 2, connectTimeoutMs: 2000, statementTimeoutMs: 5000 });
  logs.push(log);
  return log;
}

afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
});

describe('preparePg: a Kysely query compiled once into a named pg statement', () => {
  it('numbers named parameters in the order they first appear, and binds each once', async () => {
    const log = await openLog();
    const between = preparePg('test_between', (db, p: PgParams<{ from: number; to: number }>) =>
      db
        .selectFrom('log_head')
        .select(['position', 'hash'])
        .where('position', '>=', p.from)
        .where('position', '<=', p.to)
        .where('position', '<>', p.from),
    );
    expect(between.text).toBe(
      'select "position", "hash" from "log_head" where "position" >= $1 and "position" <= $2 and "position" <> $1',
    );
    expect(between.config({ to: 9, from: -1 })).toEqual({ name: 'test_between', text: between.text, values: [-1, 9] });
    // BIGINT comes back as a number on the log's pool, as the schema types it.
    expect(await between.rows(log.pool, { from: -1, to: 9 })).toEqual([{ position: 0, hash: '0'.repeat(64) }]);
    expect(await between.rows(log.pool, { from: 1, to: 9 })).toEqual([]);
  });

  it('refuses a value compiled into the query, which would be bound once for every run', () => {
    expect(() =>
      preparePg('test_value', (db) => db.selectFrom('log_head').select('hash').where('position', '=', 0)),
    ).toThrow(/named parameters \(p\.name\), not values: select "hash" from "log_head" where "position" = \$1/);
  });

  it('keeps constants written with sql.lit', () => {
    const head = preparePg('test_lit', (db) => db.selectFrom('log_head').select('hash').where('id', '=', sql.lit(1)));
    expect(head.text).toBe('select "hash" from "log_head" where "id" = 1');
    expect(head.config({}).values).toEqual([]);
  });
});

describe("Kysely through PostgresDialect on the log's pool", () => {
  it('runs typed queries, and destroying it leaves the pool to the log', async () => {
    const log = await openLog();
    const names = await log.db.selectFrom('dialogue_migrations').select('name').orderBy('name').execute();
    expect(names.map((row) => row.name)).toContain('0001_event_log');
    await log.db.destroy();
    expect((await log.head()).position).toBe(0);
  });
});
