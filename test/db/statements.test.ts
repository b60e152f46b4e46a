import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Params, prepare } from '../../src/db/statements';

function database() {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT');
  sqlite.exec("INSERT INTO groups VALUES ('strategic', 'Strategic'), ('operational', 'Operational')");
  return sqlite;
}

describe('prepare: a Kysely query compiled once into a better-sqlite3 statement', () => {
  it('binds named parameters and returns rows of the selected columns', () => {
    const byId = prepare(database(), (db, p: Params<{ id: string }>) =>
      db.selectFrom('groups').select('name').where('id', '=', p.id),
    );
    expect(byId.source).toBe('select "name" from "groups" where "id" = @id');
    expect(byId.all({ id: 'strategic' })).toEqual([{ name: 'Strategic' }]);
    // @ts-expect-error the parameter is a string
    expect(() => byId.all({ id: 1 })).not.toThrow();
  });

  it('takes no arguments when the query has no parameters', () => {
    const all = prepare(database(), (db) => db.selectFrom('groups').select(['id', 'name']).orderBy('id'));
    expect(all.all()).toEqual([
      { id: 'operational', name: 'Operational' },
      { id: 'strategic', name: 'Strategic' },
    ]);
  });

  it('refuses a value compiled into the query, which would be bound once for every run', () => {
    expect(() =>
      prepare(database(), (db) => db.selectFrom('groups').select('name').where('id', '=', 'strategic')),
    ).toThrow(/named parameters \(p\.name\), not values: select "name" from "groups" where "id" = \?/);
  });

  it('keeps constants written with sql.lit', () => {
    const named = prepare(database(), (db) =>
      db.selectFrom('groups').select('id').where('name', '=', sql.lit('Strategic')),
    );
    expect(named.get()).toEqual({ id: 'strategic' });
  });
});
