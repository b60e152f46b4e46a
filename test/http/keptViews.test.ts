import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import type { NewEvent, StoredEvent } from '../../src/eventStore/types';
import type { Decider } from '../../src/commands/decider';
import type { WriteContext } from '../../src/commands/handler';
import { proposalDecider } from '../../src/proposals/decider';
import { issueToken, revokeToken } from '../../src/tokens/tokens';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

// The service keeps authenticated tokens, where entities take part and the folds of streams in memory
// (ViewGeneration). Each test first makes it keep one, then changes what it holds, from this process or
// from another one on the same file, and checks that the very next request goes by the change.

let dir: string;
let server: TestContext;
let other: TestContext;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dialogue-kept-'));
  const file = path.join(dir, 'd.sqlite');
  server = await createTestApp({ databaseUrl: file });
  other = await createTestApp({ databaseUrl: file });
});
afterEach(async () => {
  await other.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function issued(t: TestContext, entityId: string) {
  return issueToken(
    t.runtime.store,
    t.runtime.directory,
    { role: 'delegate', entityId, person: `${entityId} delegate` },
    { ...SYSTEM_ACTOR },
    `kept-${entityId}`,
  );
}

const groups = (t: TestContext, token: string) =>
  t.app.inject({ method: 'GET', url: '/groups', headers: t.auth(token) });

describe('views kept in memory', () => {
  it('checks every kept copy against the one view generation the runtime holds', () => {
    expect(server.runtime.tokens.generation).toBe(server.runtime.generation);
    const before = server.runtime.generation.current();
    server.runtime.generation.changed();
    expect(server.runtime.tokens.generation.current()).toBe(before + 1);
  });

  it('refuses a token at the next request once another process revokes it', async () => {
    const { token, tokenId } = await issued(server, 'europol');
    expect((await groups(server, token)).statusCode).toBe(200);
    expect((await groups(server, token)).statusCode).toBe(200);
    await revokeToken(other.runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'revoke-elsewhere');
    expect((await groups(server, token)).statusCode).toBe(401);
  });

  it('refuses a token at the next request once this process revokes it', async () => {
    const { token, tokenId } = await issued(server, 'europol');
    expect((await groups(server, token)).statusCode).toBe(200);
    await revokeToken(server.runtime.store, tokenId, { ...SYSTEM_ACTOR }, 'revoke-here');
    expect((await groups(server, token)).statusCode).toBe(401);
  });

  it('accepts a token another process issued after this one refused it', async () => {
    const { token } = await issued(server, 'europol');
    const unknown = `${token.slice(0, -2)}xx`;
    expect((await groups(server, unknown)).statusCode).toBe(401);
    const elsewhere = await issued(other, 'afripol');
    expect((await groups(server, elsewhere.token)).statusCode).toBe(200);
  });

  it('goes by a removal from a group made by another process, or by this one, at the next command', async () => {
    const europol = (await issued(server, 'europol')).token;
    const afripol = (await issued(server, 'afripol')).token;
    const api = client(server);
    // Only the group's participants see its proposals: once out of it, an entity is answered 404 (what it may
    // not see is not there).
    const id = await api.submit(europol, 'strategic');
    const comment = (token: string) => api.post(token, `/proposals/${id}/comments`, { body: 'A comment.' });
    expect((await comment(afripol)).statusCode).toBe(201);
    expect((await comment(europol)).statusCode).toBe(201);
    const secretariatElsewhere = await other.token('secretariat');
    expect((await client(other).del(secretariatElsewhere, '/groups/strategic/participants/afripol')).statusCode).toBe(
      200,
    );
    expect((await comment(afripol)).statusCode).toBe(404);

    const secretariat = await server.token('secretariat');
    expect((await comment(europol)).statusCode).toBe(201);
    expect((await api.del(secretariat, '/groups/strategic/participants/europol')).statusCode).toBe(200);
    expect((await comment(europol)).statusCode).toBe(404);
  });

  it('decides on what another process appended to a stream since the last command on it', async () => {
    const europol = (await issued(server, 'europol')).token;
    const afripol = (await issued(server, 'afripol')).token;
    const api = client(server);
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, {})).statusCode).toBe(201);
    // The withdrawal comes through the other process's own command path.
    expect((await client(other).del(afripol, `/proposals/${id}/endorsements`)).statusCode).toBe(200);
    // With the fold this process kept, afripol would still endorse it: endorsing again would be a 409.
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, {})).statusCode).toBe(201);
    const stream = `proposal-${id}`;
    const events = server.runtime.store.reader.readStream(stream);
    expect(events.map((event) => event.type)).toEqual([
      'ProposalSubmitted',
      'ProposalEndorsed',
      'EndorsementWithdrawn',
      'ProposalEndorsed',
    ]);
    expect(server.runtime.commands.folds.load(proposalDecider, stream).version).toBe(4);
  });

  it('answers a client expectation with the version another process wrote, not the kept one', async () => {
    const europol = (await issued(server, 'europol')).token;
    const afripol = (await issued(server, 'afripol')).token;
    const api = client(server);
    const id = await api.submit(europol, 'strategic');
    expect((await api.post(afripol, `/proposals/${id}/comments`, { body: 'First.' })).statusCode).toBe(201);
    expect(
      (await client(other).post(afripol, `/proposals/${id}/comments`, { body: 'Second, elsewhere.' })).statusCode,
    ).toBe(201);
    // Version 3 is the log's: a stale fold would answer 412 (it holds 2).
    expect(
      (await api.post(afripol, `/proposals/${id}/comments`, { body: 'Third.' }, { 'if-match': 'W/"3"' })).statusCode,
    ).toBe(201);
    expect(
      (await api.post(afripol, `/proposals/${id}/comments`, { body: 'Fourth.' }, { 'if-match': 'W/"3"' })).statusCode,
    ).toBe(412);
  });

  describe('a stream written while a command is in flight', () => {
    // A stream of ticks: the state is how many there are.
    const ticks: Decider<number, NewEvent> = {
      initialState: 0,
      evolve: (count) => count + 1,
      parse: (event: StoredEvent) => ({ type: event.type, data: event.data }),
    };
    const actor = {
      tokenId: 'kept',
      role: 'secretariat' as const,
      entityId: null,
      entityKind: null,
      person: 'Secretariat',
    };
    const metadata = { actor: { ...SYSTEM_ACTOR }, requestId: 'elsewhere' };
    const tick = (streamId: string) => ({
      streamId,
      decider: ticks,
      decide: () => [{ type: 'Ticked', data: {} }],
      statusCode: 201,
    });
    const context = (generation?: number): WriteContext => ({
      actor,
      requestId: 'tick',
      ...(generation === undefined ? {} : { viewGeneration: generation }),
    });

    it('by another process after the request was authenticated: the version conflict makes the retry read the log', async () => {
      await server.runtime.commands.handle(context(), tick('ticks-a'));
      // The request's generation is read, then another process appends before the command loads its state.
      const generation = server.runtime.generation.check();
      await other.runtime.store.append({
        streamId: 'ticks-a',
        expectedVersion: 'any',
        events: [{ type: 'Ticked', data: {} }],
        metadata,
      });
      expect((await server.runtime.commands.handle(context(generation), tick('ticks-a'))).statusCode).toBe(201);
      expect(server.runtime.store.version('ticks-a')).toBe(3);
      expect(server.runtime.commands.folds.load(ticks, 'ticks-a')).toMatchObject({ state: 3, version: 3 });
    });

    it('by this process in the same group commit, after the command: the command does not keep a fold behind the log', async () => {
      const store = server.runtime.store;
      await server.runtime.commands.handle(context(), tick('ticks-b'));
      const command = server.runtime.commands.handle(context(), tick('ticks-b'));
      // Let the command load its state and queue its append, then queue another append behind it.
      for (let i = 0; i < 10; i += 1) await Promise.resolve();
      const elsewhere = store.append({
        streamId: 'ticks-b',
        expectedVersion: 'any',
        events: [{ type: 'Ticked', data: {} }],
        metadata,
      });
      await Promise.all([command, elsewhere]);
      expect(store.version('ticks-b')).toBe(3);
      expect(server.runtime.commands.folds.load(ticks, 'ticks-b')).toMatchObject({ state: 3, version: 3 });
    });
  });
});
