import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../src/eventStore/database';
import { MIGRATIONS } from '../../migrations/index';
import { loadConfig, systemClock } from '../../src/config';
import { openRuntime } from '../../src/runtime';
import { ProposalQueries } from '../../src/proposals/queries';
import { SearchIndex } from '../../src/proposals/search/searchIndex';
import { SearchTables } from '../../src/proposals/search/searchTables';
import { EventReader } from '../../src/eventStore/read';
import { runTs } from '../support/cli';
import { ActionItemQueries } from '../../src/actionItems/queries';

const tempDb = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-mig-')), 'd.sqlite');

/** Applies every migration before `before` that the database lacks. */
async function migrateBefore(db: Awaited<ReturnType<typeof openDatabase>>, before: string) {
  const older = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < before));
  const { error } = await new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => older },
  }).migrateToLatest();
  expect(error).toBeUndefined();
}

/** A new database with every migration before `before` applied: a database left by an older version. */
async function migratedUpTo(before: string) {
  const db = await openDatabase({ url: tempDb(), migrate: false });
  await migrateBefore(db, before);
  return db;
}

/** Another process creating the same new file, holding its write lock, the file still in rollback mode. */
function holdingWriteLockOfNewFile(url: string): BetterSqlite3.Database {
  const other = new BetterSqlite3(url);
  other.exec('BEGIN IMMEDIATE');
  other.exec('CREATE TABLE other_first (x)');
  return other;
}

describe('migrations', () => {
  it('applies every migration once; running them again is a no-op', async () => {
    const url = tempDb();
    const db = await openDatabase({ url });
    expect(await migrateToLatest(db.kysely)).toEqual([]);
    await db.close();
    const again = await openDatabase({ url });
    const applied = again.sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{
      name: string;
    }>;
    expect(applied.map((row) => row.name)).toEqual(Object.keys(MIGRATIONS).sort());
    await again.close();
  });

  it('opens with WAL, synchronous=FULL, foreign keys, a busy timeout and checkpoints every 10,000 WAL pages by default', async () => {
    const db = await openDatabase({ url: tempDb() });
    expect(db.settings).toEqual({
      journalMode: 'wal',
      synchronous: 'FULL',
      foreignKeys: true,
      busyTimeoutMs: 5000,
      walAutocheckpointPages: 10_000,
    });
    await db.close();
  });

  it('takes the checkpoint interval from SQLITE_WAL_AUTOCHECKPOINT, and refuses one below a page', async () => {
    const runtime = await openRuntime(
      loadConfig({ DATABASE_URL: tempDb(), SQLITE_WAL_AUTOCHECKPOINT: '500' }),
      systemClock,
    );
    expect(runtime.db.settings.walAutocheckpointPages).toBe(500);
    await runtime.close();
    expect(() => loadConfig({ SQLITE_WAL_AUTOCHECKPOINT: '0' })).toThrow(/SQLITE_WAL_AUTOCHECKPOINT/);
  });

  it('lets two processes start on a new database at once: each migration and the reference data recorded once', async () => {
    const url = tempDb();
    const env = { DATABASE_URL: url };
    const [a, b] = await Promise.all([
      runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'First'], env),
      runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'Second'], env),
    ]);
    expect(a.stderr + b.stderr).not.toMatch(/error|failed/i);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sqlite = new BetterSqlite3(url, { readonly: true });
    const types = (sqlite.prepare('SELECT type FROM events').all() as Array<{ type: string }>).map((r) => r.type);
    expect(types.filter((t) => t === 'EntityRegistered')).toHaveLength(11);
    expect(types.filter((t) => t === 'ParticipantAdded')).toHaveLength(22);
    expect(types.filter((t) => t === 'TokenIssued')).toHaveLength(2);
    const migrations = sqlite.prepare('SELECT COUNT(*) AS n FROM kysely_migration').get() as { n: number };
    expect(migrations.n).toBe(Object.keys(MIGRATIONS).length);
    sqlite.close();
  });

  it('waits for the write lock of a new database held by another process before switching it to WAL', async () => {
    const url = tempDb();
    const other = holdingWriteLockOfNewFile(url);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        resolve();
      }, 150),
    );
    const db = await openDatabase({ url, busyTimeoutMs: 5000 });
    await released;
    expect(db.settings.journalMode).toBe('wal');
    await db.close();
    other.close();
  });

  it('gives up switching a new database to WAL once the busy timeout has passed', async () => {
    const url = tempDb();
    const other = holdingWriteLockOfNewFile(url);
    await expect(openDatabase({ url, busyTimeoutMs: 100 })).rejects.toThrow(/locked/);
    other.exec('COMMIT');
    other.close();
  });

  it('refuses a database migrated by newer code', async () => {
    const url = tempDb();
    (await openDatabase({ url })).close();
    const sqlite = new BetterSqlite3(url);
    sqlite
      .prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01')")
      .run();
    sqlite.close();
    await expect(openDatabase({ url })).rejects.toThrow(/newer version/);
  });

  it('upgrades a 0.2.0 database: comments keep every row under their new key, and the search index starts at the head', async () => {
    const db = await migratedUpTo('0005');
    const sqlite = db.sqlite;
    sqlite
      .prepare(`INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
                VALUES (1, 'e1', 'proposal-p1', 1, 'ProposalSubmitted', '{}', '{}', '2026-01-01T00:00:00.000Z', ?, ?)`)
      .run('0'.repeat(64), 'a'.repeat(64));
    const insertComment = sqlite.prepare(
      'INSERT INTO proposal_comments (proposal_id, id, seq, entity_id, body, reply_to, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insertComment.run('p1', 'c2', 7, 'europol', 'second', 'c1', '2026-01-01T00:00:02.000Z');
    insertComment.run('p1', 'c1', 5, null, 'first', null, '2026-01-01T00:00:01.000Z');
    const before = sqlite
      .prepare('SELECT proposal_id, id, seq, entity_id, body, reply_to, at FROM proposal_comments ORDER BY seq')
      .all();

    // As far as 0.6.0 (0.7.0 drops the copy of comments: they are read from the log).
    await migrateBefore(db, '0007');
    expect(
      sqlite
        .prepare('SELECT proposal_id, id, seq, entity_id, body, reply_to, at FROM proposal_comments ORDER BY seq')
        .all(),
    ).toEqual(before);
    expect(sqlite.prepare('SELECT name, position FROM projection_positions').all()).toEqual([
      { name: 'proposal_search', position: 1 },
    ]);
    const indexes = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'proposal_comments'")
      .all();
    // One B-tree: the table (WITHOUT ROWID) is its primary key, and the separate order index is gone.
    expect(indexes).toEqual([]);
    await db.close();
  });

  it('upgrades a 0.6.0 database: the copy of comments is dropped, and the views read them from the log', async () => {
    const db = await migratedUpTo('0007');
    const sqlite = db.sqlite;
    const event =
      sqlite.prepare(`INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
                                  VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`);
    const proposal =
      sqlite.prepare(`INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision,
                                       author_entity_id, comment_count, created_at, updated_at)
                                     VALUES (?, 'strategic', ?, ?, 'Body', '[]', 'dialogue', 'open', ?, 1, 'europol', ?, ?, ?)`);
    const comment = sqlite.prepare(
      'INSERT INTO proposal_comments (proposal_id, id, seq, entity_id, body, reply_to, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const about = (id: string) => ({ proposalId: id, groupId: 'strategic', visibility: 'dialogue' });
    const posted = (id: string, commentId: string, entityId: string, body: string, replyTo: string | null) =>
      JSON.stringify({ ...about(id), commentId, entityId, body, replyTo });
    // Two proposals whose comments interleave in the log; a 0.6.0 row counts every comment of its stream.
    const log: Array<[string, number, string, string]> = [
      ['p1', 1, 'ProposalSubmitted', '{}'],
      ['p2', 1, 'ProposalSubmitted', '{}'],
      ['p1', 2, 'CommentPosted', posted('p1', 'c1', 'afripol', 'One', null)],
      ['p2', 2, 'CommentPosted', posted('p2', 'c2', 'aimc', 'Two', null)],
      ['p1', 3, 'CommentPosted', posted('p1', 'c3', 'aimc', 'Three', 'c1')],
      ['p2', 3, 'ProposalEndorsed', '{}'],
    ];
    let hash = '0'.repeat(64);
    log.forEach(([id, version, type, data], index) => {
      const next = String(index + 1)
        .repeat(64)
        .slice(0, 64);
      event.run(
        index + 1,
        `e${index + 1}`,
        `proposal-${id}`,
        version,
        type,
        data,
        `2026-01-01T00:00:0${index + 1}.000Z`,
        hash,
        next,
      );
      hash = next;
    });
    proposal.run('p1', 1, 'First', 3, 2, '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:05.000Z');
    proposal.run('p2', 2, 'Second', 3, 1, '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:06.000Z');
    comment.run('p1', 'c1', 3, 'afripol', 'One', null, '2026-01-01T00:00:03.000Z');
    comment.run('p2', 'c2', 4, 'aimc', 'Two', null, '2026-01-01T00:00:04.000Z');
    comment.run('p1', 'c3', 5, 'aimc', 'Three', 'c1', '2026-01-01T00:00:05.000Z');
    const views = () => ({
      p1: new ProposalQueries(sqlite, new SearchTables(sqlite), new ActionItemQueries(sqlite)).view('p1'),
      p2: new ProposalQueries(sqlite, new SearchTables(sqlite), new ActionItemQueries(sqlite)).view('p2'),
      list: new ProposalQueries(sqlite, new SearchTables(sqlite), new ActionItemQueries(sqlite)).list({
        groupId: 'strategic',
        includeMembers: true,
        limit: 10,
      }).items,
    });
    // The views are read with today's code, which needs the later migrations' columns: read after them.
    await migrateToLatest(db.kysely);
    expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'proposal_comments'").all()).toEqual([]);
    expect(views().p1?.comments).toEqual([
      { id: 'c1', entityId: 'afripol', body: 'One', replyTo: null, at: '2026-01-01T00:00:03.000Z' },
      { id: 'c3', entityId: 'aimc', body: 'Three', replyTo: 'c1', at: '2026-01-01T00:00:05.000Z' },
    ]);
    expect(views().p2?.comments).toEqual([
      { id: 'c2', entityId: 'aimc', body: 'Two', replyTo: null, at: '2026-01-01T00:00:04.000Z' },
    ]);
    expect(views().list.map((item) => [item.id, item.version, item.counts.comments, item.lastActivityAt])).toEqual([
      ['p2', 3, 1, '2026-01-01T00:00:06.000Z'],
      ['p1', 3, 2, '2026-01-01T00:00:05.000Z'],
    ]);
    await db.close();
  });

  it('upgrades a 0.3.0 database: the search index is refilled from the views without a copy of their text, at the head', async () => {
    const db = await migratedUpTo('0006');
    const sqlite = db.sqlite;
    const event =
      sqlite.prepare(`INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
                                  VALUES (?, ?, 'proposal-p1', ?, ?, '{}', '{}', '2026-01-01T00:00:00.000Z', ?, ?)`);
    event.run(1, 'e1', 1, 'ProposalSubmitted', '0'.repeat(64), 'a'.repeat(64));
    event.run(2, 'e2', 2, 'CommentPosted', 'a'.repeat(64), 'b'.repeat(64));
    sqlite
      .prepare(`INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision, author_entity_id, created_at, updated_at)
                VALUES ('p1', 'strategic', 1, 'Maritime piracy', 'Routes and ports', '[]', 'dialogue', 'open', 2, 1, 'europol', 'x', 'x')`)
      .run();
    sqlite
      .prepare(
        "INSERT INTO proposal_comments (proposal_id, seq, id, entity_id, body, reply_to, at) VALUES ('p1', 2, 'c1', 'europol', 'Cybercrime patrols', NULL, 'x')",
      )
      .run();
    // The 0.3.0 index had followed only the first event.
    sqlite
      .prepare(
        "INSERT INTO proposal_search (rowid, proposal_id, kind, title, body) VALUES (1, 'p1', 'proposal', 'Maritime piracy', 'Routes and ports')",
      )
      .run();
    sqlite.prepare("UPDATE projection_positions SET position = 1 WHERE name = 'proposal_search'").run();

    // As far as 0.7.2 (migration 0008 splits the index by group and visibility).
    await migrateBefore(db, '0008');
    expect(sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'proposal_search'").pluck().get()).toMatch(
      /content = ''/,
    );
    const hits = (words: string) =>
      sqlite
        .prepare('SELECT rowid FROM proposal_search WHERE proposal_search MATCH ? ORDER BY rowid')
        .pluck()
        .all(words);
    expect(hits('piracy')).toEqual([1]);
    expect(hits('cybercrimes')).toEqual([2]);
    expect(sqlite.prepare('SELECT title, body FROM proposal_search WHERE rowid = 1').get()).toEqual({
      title: null,
      body: null,
    });
    expect(sqlite.prepare('SELECT name, position FROM projection_positions').all()).toEqual([
      { name: 'proposal_search', position: 2 },
    ]);
    await db.close();
  });

  it('upgrades a 0.7.2 database: the single search table is dropped, and the first catch-up fills one table per group and visibility', async () => {
    const db = await migratedUpTo('0008');
    const sqlite = db.sqlite;
    const event =
      sqlite.prepare(`INSERT INTO events (position, id, stream_id, version, type, data, metadata, recorded_at, prev_hash, hash)
                                  VALUES (?, ?, ?, ?, ?, ?, '{}', '2026-01-01T00:00:00.000Z', ?, ?)`);
    const proposal =
      sqlite.prepare(`INSERT INTO proposals (id, group_id, seq, title, body, pillars, visibility, status, version, revision,
                                       author_entity_id, created_at, updated_at)
                                     VALUES (?, ?, ?, ?, 'Routes and ports', '[]', ?, 'open', 2, 1, 'europol', 'x', 'x')`);
    const places = [
      ['p1', 'strategic', 'dialogue', 'Maritime piracy'],
      ['p2', 'strategic', 'members', 'Piracy financing'],
      ['p3', 'operational', 'dialogue', 'Piracy at sea'],
    ] as const;
    let hash = '0'.repeat(64);
    let position = 0;
    const append = (stream: string, version: number, type: string, data: object) => {
      position += 1;
      const next = String(position).repeat(64).slice(0, 64);
      event.run(position, `e${position}`, stream, version, type, JSON.stringify(data), hash, next);
      hash = next;
      return position;
    };
    for (const [id, groupId, visibility, title] of places) {
      const about = { proposalId: id, groupId, visibility };
      const seq = append(`proposal-${id}`, 1, 'ProposalSubmitted', {
        ...about,
        title,
        body: 'Routes and ports',
        pillars: [],
        authorEntityId: 'europol',
      });
      proposal.run(id, groupId, seq, title, visibility);
      append(`proposal-${id}`, 2, 'CommentPosted', {
        ...about,
        commentId: `c-${id}`,
        entityId: 'afripol',
        body: `Ransom ${id}`,
        replyTo: null,
      });
    }
    // The 0.7.2 index, at the head, over every group and visibility at once.
    sqlite.prepare('INSERT INTO proposal_search (rowid, title, body) SELECT seq, title, body FROM proposals').run();
    sqlite.prepare("UPDATE projection_positions SET position = ? WHERE name = 'proposal_search'").run(position);

    await migrateToLatest(db.kysely);
    expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE name = 'proposal_search'").all()).toEqual([]);
    expect(new SearchTables(sqlite).all()).toEqual([]);
    const search = new SearchIndex(sqlite, new EventReader(sqlite));
    expect(search.position()).toBe(0);
    search.catchUp();
    expect(search.position()).toBe(position);
    expect(new SearchTables(sqlite).all().map((table) => [table.groupId, table.visibility])).toEqual([
      ['operational', 'dialogue'],
      ['strategic', 'dialogue'],
      ['strategic', 'members'],
    ]);
    const ids = (groupId: string, includeMembers: boolean, q: string) =>
      new ProposalQueries(sqlite, new SearchTables(sqlite), new ActionItemQueries(sqlite))
        .list({ groupId, includeMembers, q, limit: 10 })
        .items.map((item) => item.id);
    expect(ids('strategic', true, 'piracy')).toEqual(['p2', 'p1']);
    expect(ids('strategic', false, 'piracy')).toEqual(['p1']);
    expect(ids('strategic', true, 'ransom p2')).toEqual(['p2']);
    expect(ids('operational', true, 'ransom')).toEqual(['p3']);
    await db.close();
  });
});
