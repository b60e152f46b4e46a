import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/config';
import type { EventMetadata } from '../../src/eventStore/types';
import { openRuntime, type Runtime } from '../../src/runtime';
import { ftsQuery } from '../../src/proposals/search';

const metadata: EventMetadata = { actor: { entityId: 'europol', person: 'Delegate of Europol', role: 'delegate' }, requestId: 'r' };
const tempDb = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-search-')), 'd.sqlite');
const open = (file: string) => openRuntime({ DATABASE_URL: file, SQLITE_SYNCHRONOUS: 'FULL', BUSY_TIMEOUT_MS: 5000 }, systemClock);

const opened: Runtime[] = [];
afterEach(async () => {
  for (const runtime of opened.splice(0)) await runtime.close().catch(() => undefined);
});

async function submit(runtime: Runtime, proposalId: string, title: string): Promise<void> {
  await runtime.store.append({
    streamId: `proposal-${proposalId}`,
    expectedVersion: 'no-stream',
    events: [
      {
        type: 'ProposalSubmitted',
        data: { proposalId, groupId: 'strategic', visibility: 'dialogue', title, body: 'Body text.', pillars: [], authorEntityId: 'europol' },
      },
    ],
    metadata,
  });
}

async function comment(runtime: Runtime, proposalId: string, version: number, body: string): Promise<void> {
  await runtime.store.append({
    streamId: `proposal-${proposalId}`,
    expectedVersion: version,
    events: [
      {
        type: 'CommentPosted',
        data: { proposalId, groupId: 'strategic', visibility: 'dialogue', commentId: `c${version}`, entityId: 'europol', body, replyTo: null },
      },
    ],
    metadata,
  });
}

/** Proposal ids whose text or comments match, straight from the FTS5 table (a row's rowid is its event's position). */
function matches(runtime: Runtime, words: string): string[] {
  return runtime.db.sqlite
    .prepare<[string], { proposal_id: string }>(
      `SELECT DISTINCT substr(e.stream_id, length('proposal-') + 1) AS proposal_id
         FROM proposal_search JOIN events e ON e.position = proposal_search.rowid WHERE proposal_search MATCH ? ORDER BY 1`,
    )
    .all(ftsQuery(words, 'all') ?? '')
    .map((row) => row.proposal_id);
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
    const rows = writer.db.sqlite.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM proposal_search').get()?.n;
    expect(rows).toBe(2);
  });

  it('replaces a revised proposal’s text and indexes everything on close', async () => {
    const file = tempDb();
    const first = await open(file);
    await submit(first, 'p1', 'Wildlife crime');
    await first.store.append({
      streamId: 'proposal-p1',
      expectedVersion: 1,
      events: [{ type: 'ProposalRevised', data: { proposalId: 'p1', groupId: 'strategic', visibility: 'dialogue', revision: 2, title: 'Environmental crime', body: 'Wider.' } }],
      metadata,
    });
    await first.close();
    const again = await open(file);
    opened.push(again);
    expect(again.search.position()).toBe(again.store.reader.head().position);
    expect(matches(again, 'wildlife')).toEqual([]);
    expect(matches(again, 'environmental')).toEqual(['p1']);
  });
});
