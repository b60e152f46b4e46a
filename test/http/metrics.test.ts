import { afterEach, describe, expect, it } from 'vitest';
import { createLiveApp, type LiveContext } from '../live/support';
import { client } from '../proposals/support';

let t: LiveContext | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A sample's value in the text exposition format, or undefined. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('GET /metrics', () => {
  it('is refused without a token (401) and to a delegate (403)', async () => {
    t = await createLiveApp();
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const delegate = await t.token('delegate', 'europol');
    const refused = await t.app.inject({ method: 'GET', url: '/metrics', headers: t.auth(delegate) });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });

  it('gives an auditor and the secretariat the text format, counting commands, commits, sockets and deliveries', async () => {
    t = await createLiveApp();
    const context = t;
    const [auditor, secretariat, author] = await Promise.all([
      context.token('auditor'),
      context.token('secretariat'),
      context.token('delegate', 'europol'),
    ]);
    const socket = await context.connect(author);
    await socket.subscribe('group:strategic');
    await client(context).submit(author, 'strategic');
    await socket.next((message) => message.type === 'event');
    const read = async (token: string) => {
      const response = await context.app.inject({ method: 'GET', url: '/metrics', headers: context.auth(token) });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      return response.body;
    };
    const text = await read(auditor);
    expect(text).toContain(
      'dialogue_http_requests_total{route="/groups/:groupId/proposals",method="POST",status="201"} 1',
    );
    expect(sample(text, 'dialogue_group_commit_appends_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dialogue_append_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dialogue_group_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dialogue_ws_connections')).toBe(1);
    expect(sample(text, 'dialogue_ws_deliveries_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dialogue_log_head_position')).toBe(context.runtime.store.reader.head().position);
    expect(sample(text, 'dialogue_catchup_backlog_events')).toBe(0);
    // On PostgreSQL a lone instance's commits go in one round trip at its replica's head; none on SQLite.
    const onHead = sample(text, 'dialogue_pg_append_batches_total{path="head"}');
    const locked = sample(text, 'dialogue_pg_append_batches_total{path="locked"}');
    const searchFailures = ['unavailable', 'other'].map((reason) =>
      sample(text, `dialogue_pg_search_follow_failures_total{reason="${reason}"}`),
    );
    if (context.runtime.store.remote) {
      expect(searchFailures).toEqual([0, 0]);
      expect(onHead).toBe(context.runtime.store.remote.batches.head);
      expect(onHead).toBeGreaterThanOrEqual(1);
      expect(locked).toBe(context.runtime.store.remote.batches.locked);
    } else {
      expect([onHead, locked, ...searchFailures]).toEqual([undefined, undefined, undefined, undefined]);
    }
    for (const name of ['dialogue_scheduler_lag_seconds', 'dialogue_http_request_duration_seconds'])
      expect(text).toContain(`# TYPE ${name} histogram`);
    expect(await read(secretariat)).toContain(
      'dialogue_http_requests_total{route="/metrics",method="GET",status="200"}',
    );
    // A URL is never a label: an unknown path is counted as unmatched.
    await context.app.inject({ method: 'GET', url: '/no/such/path', headers: context.auth(auditor) });
    expect(await read(auditor)).toContain('route="unmatched",method="GET",status="404"');
    socket.close();
  });
});
