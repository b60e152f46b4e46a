import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readsTogether } from '../../src/eventStore/database';
import { ViewGeneration } from '../../src/eventStore/viewGeneration';

let dir: string;
let ours: BetterSqlite3.Database;
let theirs: BetterSqlite3.Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-generation-'));
  const file = path.join(dir, 'g.sqlite');
  ours = new BetterSqlite3(file);
  ours.pragma('journal_mode = WAL');
  ours.exec('CREATE TABLE t (v TEXT)');
  theirs = new BetterSqlite3(file);
});
afterEach(() => {
  theirs.close();
  ours.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the view generation of a connection', () => {
  it('moves when another connection commits, not when this one does', async () => {
    const generation = new ViewGeneration(ours);
    const first = generation.check();
    await tick();
    ours.prepare("INSERT INTO t VALUES ('ours')").run();
    expect(generation.check()).toBe(first);
    await tick();
    theirs.prepare("INSERT INTO t VALUES ('theirs')").run();
    expect(generation.check()).toBe(first + 1);
    await tick();
    expect(generation.check()).toBe(first + 1);
  });

  it('moves when this connection says it changed what the copies hold', () => {
    const generation = new ViewGeneration(ours);
    const first = generation.check();
    generation.changed();
    expect(generation.check()).toBe(first + 1);
    expect(generation.current()).toBe(first + 1);
  });

  it('reads once within a stretch of synchronous code, and again after it', async () => {
    const generation = new ViewGeneration(ours);
    const first = generation.check();
    theirs.prepare("INSERT INTO t VALUES ('theirs')").run();
    // The same stretch: one instant, one read.
    expect(generation.check()).toBe(first);
    await Promise.resolve();
    expect(generation.check()).toBe(first + 1);
  });
});

describe('reads made together', () => {
  it('see one state of the database, whatever another connection commits between them', () => {
    const count = () => ours.prepare('SELECT COUNT(*) FROM t').pluck().get();
    const readTogether = readsTogether(ours);
    const [before, after] = readTogether(() => {
      const first = count();
      theirs.prepare("INSERT INTO t VALUES ('x')").run();
      return [first, count()];
    });
    expect([before, after]).toEqual([0, 0]);
    expect(count()).toBe(1);
    // Inside a transaction already open, they join it.
    ours.transaction(() => {
      expect(readTogether(count)).toBe(1);
    })();
  });
});
