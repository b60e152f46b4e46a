import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRows } from '../../src/audit/verify';
import { type CliResult, runTs } from '../support/cli';
import { createTestApp, type TestContext } from '../support/app';
import { expectViewsEqualRebuild } from '../support/views';

const freshDatabase = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'dialogue-demo-')), 'd.sqlite');

/** The tokens the demo prints, in the order it prints them. */
const printedTokens = (stdout: string) =>
  [...stdout.matchAll(/token: (dlg_[A-Za-z0-9_-]+)/g)].map((match) => match[1] ?? '');

describe('demo CLI', () => {
  const databaseUrl = freshDatabase();
  let first: CliResult;
  let ctx: TestContext;

  beforeAll(async () => {
    first = await runTs('scripts/demo.ts', [], {
      DATABASE_URL: databaseUrl,
      PUBLIC_URL: 'https://dialogue.example/pilot',
    });
    // The real clock: the demo's due dates are relative to today.
    ctx = await createTestApp({ databaseUrl, start: new Date().toISOString() });
  }, 60_000);

  afterAll(async () => {
    await ctx.close();
  });

  const sqlite = () => ctx.runtime.db.sqlite;
  const count = (query: string, ...params: string[]) =>
    sqlite()
      .prepare(query)
      .pluck()
      .get(...params) as number;

  it('fills a fresh database with proposals of both groups in every status, members-only ones among them', () => {
    expect(first.stderr).toContain('30/30 proposals');
    expect(first.code).toBe(0);
    for (const group of ['strategic', 'operational']) {
      expect(count('SELECT COUNT(*) FROM proposals WHERE group_id = ?', group)).toBeGreaterThanOrEqual(12);
      for (const status of ['open', 'adopted', 'rejected', 'withdrawn']) {
        expect(
          count('SELECT COUNT(*) FROM proposals WHERE group_id = ? AND status = ?', group, status),
          `${group} ${status}`,
        ).toBeGreaterThan(0);
      }
      expect(
        count("SELECT COUNT(*) FROM proposals WHERE group_id = ? AND visibility = 'members'", group),
      ).toBeGreaterThan(0);
    }
    expect(count('SELECT COUNT(*) FROM proposals')).toBe(30);
    const byType = (type: string) => count('SELECT COUNT(*) FROM events WHERE type = ?', type);
    expect(byType('ProposalRevised')).toBeGreaterThan(0);
    expect(byType('ProposalEndorsed')).toBeGreaterThan(20);
    expect(byType('ObjectionRaised')).toBeGreaterThan(5);
    expect(byType('ObjectionWithdrawn')).toBeGreaterThan(0);
    expect(byType('EndorsementWithdrawn')).toBeGreaterThan(0);
    expect(
      count("SELECT COUNT(*) FROM events WHERE type = 'CommentPosted' AND json_extract(data, '$.replyTo') IS NOT NULL"),
    ).toBeGreaterThan(10);
    expect(
      count(
        "SELECT COUNT(*) FROM events WHERE type = 'ProposalDecided' AND json_array_length(data, '$.overriddenObjections') > 0",
      ),
    ).toBeGreaterThan(0);
    expect(
      count("SELECT COUNT(*) FROM events WHERE type = 'ProposalEndorsed' AND json_extract(data, '$.note') IS NOT NULL"),
    ).toBeGreaterThan(0);
    expect(count('SELECT COUNT(*) FROM group_chairs')).toBeGreaterThanOrEqual(2);
  });

  it('opens action items that are overdue, due within 7 days, done and cancelled, in both groups', async () => {
    const auditor = await ctx.token('auditor');
    for (const group of ['strategic', 'operational']) {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/groups/${group}/dashboard`,
        headers: ctx.auth(auditor),
      });
      expect(response.statusCode).toBe(200);
      const dashboard = response.json<{ counts: Record<string, number>; overdue: unknown[]; dueSoon: unknown[] }>();
      expect(dashboard.overdue.length, group).toBeGreaterThan(0);
      expect(dashboard.dueSoon.length, group).toBeGreaterThan(0);
      expect(dashboard.counts.done, group).toBeGreaterThan(0);
      expect(dashboard.counts.cancelled, group).toBeGreaterThan(0);
    }
    expect(count("SELECT COUNT(*) FROM events WHERE type = 'ActionItemProgressed'")).toBeGreaterThan(5);
    expect(count("SELECT COUNT(*) FROM events WHERE type = 'ActionItemReopened'")).toBeGreaterThan(0);
    expect(count("SELECT COUNT(*) FROM events WHERE type = 'ActionItemDueDateChanged'")).toBeGreaterThan(0);
    expect(
      count(
        "SELECT COUNT(*) FROM events WHERE type = 'ActionItemOpened' AND json_extract(data, '$.visibility') = 'members'",
      ),
    ).toBeGreaterThan(0);
  });

  it('prints five sign-in links whose tokens authenticate as a member, an observer, a chair, the secretariat and an auditor', async () => {
    const tokens = printedTokens(first.stdout);
    expect(tokens).toHaveLength(5);
    for (const token of tokens) expect(first.stdout).toContain(`https://dialogue.example/pilot/app/#token=${token}`);
    expect(first.stdout).toContain('Authorization: Bearer');
    const actors = tokens.map((token) => ctx.runtime.tokens.authenticate(token));
    expect(actors.map((actor) => [actor?.role, actor?.entityKind])).toEqual([
      ['delegate', 'member'],
      ['delegate', 'observer'],
      ['delegate', 'member'],
      ['secretariat', null],
      ['auditor', null],
    ]);
    const chair = actors[2]?.entityId ?? '';
    expect(count('SELECT COUNT(*) FROM group_chairs WHERE entity_id = ?', chair)).toBe(1);
    expect(count('SELECT COUNT(*) FROM group_chairs WHERE entity_id = ?', actors[0]?.entityId ?? '')).toBe(0);
    for (const token of tokens) {
      const response = await ctx.app.inject({ method: 'GET', url: '/groups', headers: ctx.auth(token) });
      expect(response.statusCode).toBe(200);
    }
  });

  it('writes only ordinary events: the chain verifies and the views equal a rebuild', () => {
    const result = verifyRows(ctx.runtime.store.reader.iterateRows());
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(ctx.runtime.store.reader.head().position);
    expectViewsEqualRebuild(ctx.runtime);
  });

  it('refuses a second run with exit code 2 and one line on stderr, and changes nothing', async () => {
    const before = ctx.runtime.store.reader.head();
    const second = await runTs('scripts/demo.ts', [], { DATABASE_URL: databaseUrl });
    expect(second.code).toBe(2);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `demo: the database ${databaseUrl} already holds events beyond the reference data; the demo fills only a fresh database\n`,
    );
    expect(ctx.runtime.store.reader.head()).toEqual(before);
  });
});

describe('demo CLI on a database in use', () => {
  it('refuses a database that holds a single token, and records nothing', async () => {
    const databaseUrl = freshDatabase();
    const issued = await runTs('scripts/token.ts', ['--role', 'auditor', '--name', 'Auditor'], {
      DATABASE_URL: databaseUrl,
    });
    expect(issued.code).toBe(0);
    const result = await runTs('scripts/demo.ts', [], { DATABASE_URL: databaseUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already holds events beyond the reference data/);
    const ctx = await createTestApp({ databaseUrl });
    try {
      expect(
        ctx.runtime.db.sqlite
          .prepare(
            "SELECT COUNT(*) FROM events WHERE type NOT IN ('EntityRegistered', 'GroupFormed', 'ParticipantAdded')",
          )
          .pluck()
          .get(),
      ).toBe(1);
    } finally {
      await ctx.close();
    }
  }, 30_000);

  it('refuses DATABASE_URL=:memory:, which would vanish with the tokens it prints', async () => {
    const result = await runTs('scripts/demo.ts', [], { DATABASE_URL: ':memory:' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'demo: DATABASE_URL=:memory: would be lost when the demo exits, with the tokens it prints: give a database file\n',
    );
  });
});
