import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../../src/eventStore/projections';
import type { EventMetadata, NewEvent } from '../../src/eventStore/types';
import { ActionItemQueries } from '../../src/actionItems/queries';
import { viewResolver } from '../../src/live/views';
import { ProposalQueries } from '../../src/proposals/queries';
import { SearchTables } from '../../src/proposals/search/searchTables';
import { createTestApp, type TestContext } from '../support/app';
import { viewSnapshot } from '../support/views';

/**
 * A rebuild folds the log a page at a time and takes shortcuts inside a page (a proposal's row written once
 * per page, comments not read at all, data and metadata read lazily). Whatever the page size, the
 * views it leaves must be exactly the inline ones: these logs put every kind of proposal event, action item
 * events (which read metadata) and token events on both sides of page boundaries.
 */

const actor = (entityId: string | null, person = `Delegate of ${entityId}`): EventMetadata => ({
  actor: { entityId, person, role: entityId ? 'delegate' : 'secretariat' },
  requestId: `req-${person}`,
});

const about = (proposalId: string) => ({ proposalId, groupId: 'strategic', visibility: 'dialogue' as const });

let t: TestContext;
let versions: Map<string, number>;

async function append(streamId: string, event: NewEvent, metadata = actor('europol')): Promise<void> {
  const version = versions.get(streamId) ?? 0;
  // Every event at its own time, so that a row's updated_at shows which event touched it last.
  t.time.advance(1000);
  const outcome = await t.runtime.store.append({
    streamId,
    expectedVersion: version === 0 ? 'no-stream' : version,
    events: [event],
    metadata,
  });
  expect(outcome.kind).toBe('appended');
  versions.set(streamId, version + 1);
}

const proposal = (id: string) => `proposal-${id}`;
const submit = (id: string, title = `Title of ${id}`) =>
  append(proposal(id), {
    type: 'ProposalSubmitted',
    data: { ...about(id), title, body: `Body of ${id}`, pillars: ['platform-for-plans'], authorEntityId: 'europol' },
  });
const comment = (
  id: string,
  commentId: string,
  body = `Comment ${commentId}`,
  entityId: string | null = 'interpol',
  replyTo: string | null = null,
) =>
  append(
    proposal(id),
    { type: 'CommentPosted', data: { ...about(id), commentId, entityId, body, replyTo } },
    actor(entityId),
  );
const endorse = (id: string, entityId: string, revision = 1, note: string | null = null) =>
  append(proposal(id), { type: 'ProposalEndorsed', data: { ...about(id), entityId, revision, note } }, actor(entityId));
const withdrawEndorsement = (id: string, entityId: string) =>
  append(proposal(id), { type: 'EndorsementWithdrawn', data: { ...about(id), entityId } }, actor(entityId));
const object = (id: string, entityId: string, reason = 'Not yet') =>
  append(proposal(id), { type: 'ObjectionRaised', data: { ...about(id), entityId, reason } }, actor(entityId));
const withdrawObjection = (id: string, entityId: string) =>
  append(proposal(id), { type: 'ObjectionWithdrawn', data: { ...about(id), entityId } }, actor(entityId));
const revise = (id: string, revision: number) =>
  append(proposal(id), {
    type: 'ProposalRevised',
    data: { ...about(id), revision, title: `Title ${revision} of ${id}`, body: `Body ${revision}` },
  });
const withdraw = (id: string) =>
  append(proposal(id), { type: 'ProposalWithdrawn', data: { ...about(id), reason: null } });
const decide = (id: string, outcome: 'adopted' | 'rejected') =>
  append(
    proposal(id),
    {
      type: 'ProposalDecided',
      data: { ...about(id), outcome, note: `Decided ${outcome}`, chairEntityId: 'europol', overriddenObjections: [] },
    },
    actor(null, 'the chair'),
  );
const actionItem = (id: string, type: string, data: Record<string, unknown>, entityId: string | null = 'afripol') =>
  append(
    `action-item-${id}`,
    { type, data: { actionItemId: id, groupId: 'strategic', visibility: 'dialogue', ...data } },
    actor(entityId, `person ${type}`),
  );

/** Every page size from one event to more than the log, and the default. */
function expectEveryPagingEqualInline(): void {
  const inline = viewSnapshot(t.runtime);
  const head = t.runtime.store.reader.head().position;
  for (const pageSize of [1, 2, 3, 5, 7, 11, 64, head + 1, undefined]) {
    const progress: number[] = [];
    const result = rebuildProjections(t.runtime.db.sqlite, t.runtime.projections, (p) => progress.push(p.position), {
      pageSize,
    });
    expect(result.events).toBe(head);
    expect(progress.at(-1)).toBe(head);
    expect(viewSnapshot(t.runtime), `page size ${pageSize}`).toEqual(inline);
  }
}

/**
 * The live layer's views are JSON assembled partly by SQLite (a proposal's comments from the log's stored
 * text): each must be exactly `JSON.stringify` of the view object the HTTP routes read.
 */
function expectLiveViewsAsJsonOfViews(): void {
  const sqlite = t.runtime.db.sqlite;
  const resolver = viewResolver(
    t.runtime.proposals,
    t.runtime.actionItems,
    (streamId) => t.runtime.store.version(streamId),
    t.runtime.clock,
  );
  const today = t.runtime.clock().toISOString().slice(0, 10);
  const ids = (table: string) => sqlite.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as string[];
  for (const id of ids('proposals')) {
    const view = new ProposalQueries(sqlite, new SearchTables(sqlite), new ActionItemQueries(sqlite)).view(id);
    expect(resolver.view('proposal', id)).toEqual({
      groupId: view?.groupId,
      visibility: view?.visibility,
      json: JSON.stringify(view),
    });
  }
  for (const id of ids('action_items')) {
    const view = new ActionItemQueries(sqlite).view(id, today);
    expect(resolver.view('action-item', id)).toEqual({
      groupId: view?.groupId,
      visibility: view?.visibility,
      json: JSON.stringify(view),
    });
  }
  expect(resolver.view('proposal', 'missing')).toBeNull();
}

describe('rebuild, page by page', () => {
  beforeEach(async () => {
    t = await createTestApp();
    versions = new Map();
  });
  afterEach(async () => {
    await t.close();
  });

  it('folds a proposal commented, endorsed, withdrawn, revised and decided across page boundaries as inline', async () => {
    await t.token('delegate', 'europol');
    await submit('p1');
    await comment('p1', 'c1');
    await submit('p2');
    await endorse('p1', 'interpol');
    await comment('p2', 'c2', 'On p2', null, null);
    await endorse('p1', 'afripol', 1, 'Agreed');
    await withdrawEndorsement('p1', 'interpol');
    await comment('p1', 'c3', 'A reply', 'afripol', 'c1');
    await object('p2', 'interpol');
    await revise('p1', 2);
    // Endorsed again after a withdrawal (the same key inserted, deleted and inserted again).
    await endorse('p1', 'interpol', 2);
    await comment('p1', 'c4');
    await withdrawObjection('p2', 'interpol');
    await object('p2', 'afripol', 'Still not');
    await revise('p1', 3);
    await comment('p2', 'c5');
    await withdraw('p2');
    await submit('p3');
    await comment('p3', 'c6');
    await decide('p1', 'adopted');
    await comment('p3', 'c7');
    await submit('p4');
    await decide('p4', 'rejected');
    await comment('p4', 'c8');
    expectEveryPagingEqualInline();
    expectLiveViewsAsJsonOfViews();
    // The counters moved back and forth in memory end where the inline path left them: each row as of its
    // proposal's last event other than a comment (p3's two comments and p4's last one came after it).
    const rows = t.runtime.db.sqlite
      .prepare(
        'SELECT id, status, revision, version, endorsement_count, objection_count, comment_count FROM proposals ORDER BY seq',
      )
      .all();
    expect(rows).toEqual([
      {
        id: 'p1',
        status: 'adopted',
        revision: 3,
        version: 11,
        endorsement_count: 2,
        objection_count: 0,
        comment_count: 3,
      },
      {
        id: 'p2',
        status: 'withdrawn',
        revision: 1,
        version: 7,
        endorsement_count: 0,
        objection_count: 1,
        comment_count: 2,
      },
      { id: 'p3', status: 'open', revision: 1, version: 1, endorsement_count: 0, objection_count: 0, comment_count: 0 },
      {
        id: 'p4',
        status: 'rejected',
        revision: 1,
        version: 2,
        endorsement_count: 0,
        objection_count: 0,
        comment_count: 0,
      },
    ]);
    // What readers see adds the comments since, from the head of each stream in the log.
    const { items } = new ProposalQueries(
      t.runtime.db.sqlite,
      new SearchTables(t.runtime.db.sqlite),
      new ActionItemQueries(t.runtime.db.sqlite),
    ).list({
      groupId: 'strategic',
      includeMembers: true,
      limit: 10,
    });
    expect(items.map((item) => [item.id, item.version, item.counts.comments])).toEqual([
      ['p4', 3, 1],
      ['p3', 3, 2],
      ['p2', 7, 2],
      ['p1', 11, 3],
    ]);
  });

  it('folds text with escapes, lone surrogates and control characters exactly as the inline path binds it', async () => {
    const bodies = [
      'Lone surrogates \ud800 and \udfff, a pair \ud83d\ude00, NUL \u0000, tab \t, newline \n, \u001f',
      'Backslash-u text \\u0041 and \\ud800 (not escapes)',
      'Plain',
    ];
    await submit('p1', 'Quotes " and \\ and \u00e9\u0301 and \u{1f600}');
    for (const [index, body] of bodies.entries()) await comment('p1', `c${index + 1}`, body);
    await revise('p1', 2);
    expectEveryPagingEqualInline();
    // Comments are read from the log: exactly the strings that were appended.
    expect(
      new ProposalQueries(
        t.runtime.db.sqlite,
        new SearchTables(t.runtime.db.sqlite),
        new ActionItemQueries(t.runtime.db.sqlite),
      )
        .view('p1')
        ?.comments.map((c) => c.body),
    ).toEqual(bodies);
    // And a proposal without comments: its view's are `[]`.
    await submit('p2', 'No comments \u2028 yet');
    expectLiveViewsAsJsonOfViews();
  });

  it('leaves the search index searchable, with FTS5 settings back to their defaults (SQLite)', async () => {
    await submit('p1', 'Cross-border alerts');
    for (let index = 0; index < 30; index += 1)
      await comment('p1', `c${index}`, index % 3 === 0 ? `Alerts number ${index}` : `Other ${index}`);
    rebuildProjections(t.runtime.db.sqlite, t.runtime.projections, undefined, { pageSize: 4 });
    const { pgSearch } = t.runtime;
    if (pgSearch) {
      // PostgreSQL's index is the log database's, which a rebuild of the replica's views leaves alone.
      expect(await pgSearch.hits('alert', { groups: ['strategic'], includeMembers: true })).toEqual([
        ['p1', expect.any(Number)],
      ]);
      return;
    }
    const sqlite = t.runtime.db.sqlite;
    const table = new SearchTables(sqlite).of('strategic', 'dialogue');
    expect(new SearchTables(sqlite).all().map((entry) => entry.name)).toEqual([table]);
    expect(
      Object.fromEntries(sqlite.prepare(`SELECT k, v FROM ${table}_config`).raw(true).all() as [string, unknown][]),
    ).toMatchObject({
      hashsize: 1024 * 1024,
      automerge: 4,
    });
    const hits = sqlite
      .prepare(
        `SELECT e.type FROM ${table} JOIN events e ON e.position = ${table}.rowid WHERE ${table} MATCH 'alert' ORDER BY e.position`,
      )
      .pluck()
      .all();
    expect(hits).toEqual(['ProposalSubmitted', ...Array.from({ length: 10 }, () => 'CommentPosted')]);
  });

  it('reads metadata and data lazily for action items, tokens and reference data', async () => {
    await t.token('delegate', 'interpol');
    await actionItem('a1', 'ActionItemOpened', {
      title: 'Draft',
      ownerEntityId: 'afripol',
      dueDate: '2026-06-30',
      proposalId: null,
    });
    await submit('p1');
    await actionItem('a1', 'ActionItemProgressed', { percent: 40, note: 'Halfway' }, 'interpol');
    await comment('p1', 'c1');
    await actionItem(
      'a1',
      'ActionItemDueDateChanged',
      { dueDate: '2026-07-31', previousDueDate: '2026-06-30', reason: 'Later' },
      null,
    );
    await actionItem('a1', 'ActionItemCompleted', { note: null });
    await actionItem('a1', 'ActionItemReopened', { reason: 'Not done' });
    await actionItem('a2', 'ActionItemOpened', {
      title: 'Other',
      ownerEntityId: 'europol',
      dueDate: '2026-08-01',
      proposalId: 'p1',
    });
    await actionItem('a2', 'ActionItemCancelled', { reason: 'Dropped' });
    const secretariat = await t.token('secretariat');
    await t.app.inject({
      method: 'POST',
      url: '/groups/strategic/chairs',
      headers: { ...t.auth(secretariat), 'content-type': 'application/json' },
      payload: { entityId: 'europol' },
    });
    await t.app.inject({ method: 'DELETE', url: '/groups/operational/participants/sco', headers: t.auth(secretariat) });
    expectEveryPagingEqualInline();
    expectLiveViewsAsJsonOfViews();
    expect(t.runtime.db.sqlite.prepare('SELECT count(*) AS n FROM action_item_history').get()).toEqual({ n: 7 });
  });

  it('still gives the data of a type whose data a projection leaves unread, with the page or by position', async () => {
    await submit('p1');
    await comment('p1', 'c1', 'First \\u0041 escaped');
    await comment('p1', 'c2', 'Second');
    // One projection reads comments' data as usual, one says it leaves it unread and reads it anyway.
    const seen = (label: string, rebuildDataUnread?: ReadonlySet<string>) => {
      const bodies: string[] = [];
      const projection = {
        name: label,
        tables: [],
        rebuildTypes: new Set(['CommentPosted']),
        rebuildDataUnread,
        apply: (event: { data: Record<string, unknown>; streamId: string }) => {
          bodies.push(`${event.streamId}: ${String(event.data.body)}`);
        },
      };
      return { projection, bodies };
    };
    const reading = seen('reading');
    const unread = seen('unread', new Set(['CommentPosted']));
    rebuildProjections(t.runtime.db.sqlite, [...t.runtime.projections, reading.projection], undefined, { pageSize: 2 });
    rebuildProjections(t.runtime.db.sqlite, [...t.runtime.projections, unread.projection], undefined, { pageSize: 2 });
    const expected = ['proposal-p1: First \\u0041 escaped', 'proposal-p1: Second'];
    expect(reading.bodies).toEqual(expected);
    expect(unread.bodies).toEqual(expected);
    expectEveryPagingEqualInline();
  });

  it('leaves the views as they were when a rebuild fails midway, and the next rebuild is whole', async () => {
    await submit('p1');
    for (let index = 0; index < 20; index += 1) await comment('p1', `c${index}`);
    const inline = viewSnapshot(t.runtime);
    const failing = [
      ...t.runtime.projections,
      {
        name: 'failing',
        tables: [],
        apply: (event: { position: number }) => {
          if (event.position === t.runtime.store.reader.head().position - 3) throw new Error('boom');
        },
      },
    ];
    expect(() => rebuildProjections(t.runtime.db.sqlite, failing, undefined, { pageSize: 4 })).toThrow('boom');
    expect(viewSnapshot(t.runtime)).toEqual(inline);
    rebuildProjections(t.runtime.db.sqlite, t.runtime.projections, undefined, { pageSize: 4 });
    expect(viewSnapshot(t.runtime)).toEqual(inline);
  });
});
