import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/config';
import type { EventMetadata } from '../../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../../src/runtime';
import { ftsQuery } from '../../../src/proposals/search/search';
import { SearchTables } from '../../../src/proposals/search/searchTables';
import type { Visibility } from '../../../src/dialogue/visibility';
import { viewSnapshot } from '../../support/views';

const metadata: EventMetadata = {
  actor: { entityId: 'europol', person: 'Delegate of Europol', role: 'delegate' },
  requestId: 'r',
};
const tempDb = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-search-')), 'd.sqlite');
const open = (file: string) =>
  openRuntime({ DATABASE_URL: file, SQLITE_SYNCHRONOUS: 'FULL', BUSY_TIMEOUT_MS: 5000 }, systemClock);

const opened: Runtime[] = [];
afterEach(async () => {
  for (const runtime of opened.splice(0)) await runtime.close().catch(() => undefined);
});

/** Where a proposal stands: its group and visibility (strategic and dialogue unless said). */
interface Place {
  groupId: string;
  visibility: Visibility;
}
const STRATEGIC: Place = { groupId: 'strategic', visibility: 'dialogue' };

async function submit(runtime: Runtime, proposalId: string, title: string, place = STRATEGIC): Promise<void> {
  await runtime.store.append({
    streamId: `proposal-${proposalId}`,
    expectedVersion: 'no-stream',
    events: [
      {
        type: 'ProposalSubmitted',
        data: { proposalId, ...place, title, body: 'Body text.', pillars: [], authorEntityId: 'europol' },
      },
    ],
    metadata,
  });
}

async function comment(
  runtime: Runtime,
  proposalId: string,
  version: number,
  body: string,
  place = STRATEGIC,
): Promise<void> {
  await runtime.store.append({
    streamId: `proposal-${proposalId}`,
    expectedVersion: version,
    events: [
      {
        type: 'CommentPosted',
        data: { proposalId, ...place, commentId: `c${version}`, entityId: 'europol', body, replyTo: null },
      },
    ],
    metadata,
  });
}

async function revise(
  runtime: Runtime,
  proposalId: string,
  version: number,
  title: string,
  place = STRATEGIC,
): Promise<void> {
  await runtime.store.append({
    streamId: `proposal-${proposalId}`,
    expectedVersion: version,
    events: [{ type: 'ProposalRevised', data: { proposalId, ...place, revision: 2, title, body: 'Wider.' } }],
    metadata,
  });
}

/** Piracy in three places: the strategic group's open and members-only text, and the operational group's. */
async function piracyEverywhere(runtime: Runtime): Promise<void> {
  const places: Array<[string, Place]> = [
    ['p1', STRATEGIC],
    ['p2', { groupId: 'strategic', visibility: 'members' }],
    ['p3', { groupId: 'operational', visibility: 'dialogue' }],
  ];
  for (const [id, place] of places) {
    await submit(runtime, id, `Piracy ${id}`, place);
    await comment(runtime, id, 1, `Ransom piracy ${id}`, place);
  }
  await revise(runtime, 'p2', 2, 'Piracy financing', places[1]?.[1]);
}

/** Proposal ids whose text or comments match, straight from the index's tables (a row's rowid is its event's position). */
function matches(runtime: Runtime, words: string): string[] {
  const tables = new SearchTables(runtime.db.sqlite).all().map((table) => table.name);
  if (tables.length === 0) return [];
  return runtime.db.sqlite
    .prepare<string[], { proposal_id: string }>(
      `SELECT DISTINCT substr(e.stream_id, length('proposal-') + 1) AS proposal_id
         FROM (${tables.map((table) => `SELECT rowid AS position FROM ${table} WHERE ${table} MATCH ?`).join(' UNION ALL ')}) m
         JOIN events e ON e.position = m.position ORDER BY 1`,
    )
    .all(...tables.map(() => ftsQuery(words, 'all') ?? ''))
    .map((row) => row.proposal_id);
}

/** Rows in the index's tables. */
function indexedRows(runtime: Runtime): number {
  return new SearchTables(runtime.db.sqlite)
    .all()
    .reduce(
      (sum, table) =>
        sum + (runtime.db.sqlite.prepare<[], number>(`SELECT COUNT(*) FROM ${table.name}`).pluck().get() ?? 0),
      0,
    );
}

describe('search index following the log', () => {
  it('indexes committed text shortly after the commit, and at once when asked to catch up', async () => {
    const runtime = await open(':memory:');
    opened.push(runtime);
    await submit(runtime, 'p1', 'Maritime piracy routes');
    // The commit did not index (the append's transaction holds no FTS5 write); catching up does.
    expect(runtime.search.position()).toBeLessThan(runtime.store.reader.head().position);
    runtime.search.catchUp();
    expect(matches(runtime, 'piracy')).toEqual(['p1']);
    // Its own commit skipped the fsync; the log's commits are as durable as before.
    expect(runtime.db.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(runtime.search.position()).toBe(runtime.store.reader.head().position);

    await comment(runtime, 'p1', 1, 'Include the Gulf of Guinea corridor');
    await expect.poll(() => matches(runtime, 'guinea corridor'), { timeout: 5000 }).toEqual(['p1']);
  });

  it('indexes at start-up the text a crash left unindexed, from the log', async () => {
    const file = tempDb();
    const crashed = await open(file);
    await submit(crashed, 'p1', 'Firearms trafficking');
    await comment(crashed, 'p1', 1, 'Serial number tracing');
    const head = crashed.store.reader.head().position;
    expect(crashed.search.position()).toBeLessThan(head);
    // The process dies: the connection goes without the index catching up.
    crashed.db.sqlite.close();

    const restarted = await open(file);
    opened.push(restarted);
    expect(restarted.search.position()).toBeGreaterThanOrEqual(head);
    expect(matches(restarted, 'firearms')).toEqual(['p1']);
    expect(matches(restarted, 'serial tracing')).toEqual(['p1']);
  });

  it('indexes what another process appended, once, whichever process catches up first', async () => {
    const file = tempDb();
    const writer = await open(file);
    const reader = await open(file);
    opened.push(writer, reader);
    await submit(writer, 'p1', 'Cybercrime capacity building');
    await comment(writer, 'p1', 1, 'Joint training for analysts');
    reader.search.catchUp();
    expect(matches(reader, 'cybercrime')).toEqual(['p1']);
    writer.search.catchUp();
    expect(indexedRows(writer)).toBe(2);
  });

  it('replaces a revised proposal’s text and indexes everything on close', async () => {
    const file = tempDb();
    const first = await open(file);
    await submit(first, 'p1', 'Wildlife crime');
    await revise(first, 'p1', 1, 'Environmental crime');
    await first.close();
    const again = await open(file);
    opened.push(again);
    expect(again.search.position()).toBe(again.store.reader.head().position);
    expect(matches(again, 'wildlife')).toEqual([]);
    expect(matches(again, 'environmental')).toEqual(['p1']);
  });

  it('keeps each group’s text of each visibility in a table of its own, a revision replacing its proposal’s row there', async () => {
    const runtime = await open(':memory:');
    opened.push(runtime);
    await piracyEverywhere(runtime);
    runtime.search.catchUp();
    const sqlite = runtime.db.sqlite;
    const tables = new SearchTables(sqlite).all();
    expect(tables.map((table) => [table.groupId, table.visibility])).toEqual([
      ['operational', 'dialogue'],
      ['strategic', 'dialogue'],
      ['strategic', 'members'],
    ]);
    const proposalsIn = (groupId: string, visibility: Visibility, words: string) => {
      const table = new SearchTables(sqlite).of(groupId, visibility) as string;
      return sqlite
        .prepare<[string], string>(
          `SELECT DISTINCT substr(e.stream_id, length('proposal-') + 1) FROM ${table} JOIN events e ON e.position = ${table}.rowid WHERE ${table} MATCH ? ORDER BY 1`,
        )
        .pluck()
        .all(ftsQuery(words, 'all') ?? '');
    };
    expect(proposalsIn('strategic', 'dialogue', 'piracy')).toEqual(['p1']);
    expect(proposalsIn('strategic', 'members', 'piracy')).toEqual(['p2']);
    expect(proposalsIn('strategic', 'members', 'financing')).toEqual(['p2']);
    expect(proposalsIn('strategic', 'members', 'p2')).toEqual(['p2']);
    expect(proposalsIn('operational', 'dialogue', 'ransom')).toEqual(['p3']);
    // The revised proposal's first title is gone (only its comment still says p2).
    expect(indexedRows(runtime)).toBe(6);
  });

  it('fills the index in bulk when it starts from nothing, token for token as following the log did', async () => {
    const runtime = await open(':memory:');
    opened.push(runtime);
    // Past the reference data first, so that the text is indexed event by event as it follows the log.
    runtime.search.catchUp();
    expect(runtime.search.position()).toBe(runtime.store.reader.head().position);
    await piracyEverywhere(runtime);
    const followed = viewSnapshot(runtime);
    const tables = new SearchTables(runtime.db.sqlite).all();
    // As after a migration that dropped the index: its position back to 0 (its tables are emptied first).
    runtime.db.sqlite.prepare("UPDATE projection_positions SET position = 0 WHERE name = 'proposal_search'").run();
    expect(runtime.search.position()).toBe(0);
    expect(viewSnapshot(runtime)).toEqual(followed);
    expect(new SearchTables(runtime.db.sqlite).all()).toEqual(tables);
    expect(runtime.search.position()).toBe(runtime.store.reader.head().position);
  });
});
