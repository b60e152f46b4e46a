import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decider } from '../../src/commands/decider';
import type { NewEvent } from '../../src/eventStore/types';
import { proposalDecider } from '../../src/proposals/decider';
import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

let t: TestContext;
let api: ReturnType<typeof client>;
beforeEach(async () => {
  t = await createTestApp();
  api = client(t);
});
afterEach(async () => t.close());

/** What the fold cache loads, without the view generation it was loaded at. */
function loaded<S, E extends NewEvent>(aggregate: Decider<S, E>, streamId: string): { state: S; version: number } {
  const { state, version } = t.runtime.commands.folds.load(aggregate, streamId);
  return { state, version };
}

/** The state of a stream folded from nothing, every event read back from the log and validated. */
function foldedFromLog<S, E extends NewEvent>(
  aggregate: Decider<S, E>,
  streamId: string,
): { state: S; version: number } {
  const events = t.runtime.store.reader.readStream(streamId);
  return {
    state: events.reduce((state, event) => aggregate.evolve(state, aggregate.parse(event)), aggregate.initialState),
    version: events.at(-1)?.version ?? 0,
  };
}

describe('the folded state a command keeps', () => {
  it('after its own appends, equals the stream folded again from the log, through a whole deliberation', async () => {
    const [europol, afripol, aimc, interpol, secretariat] = await Promise.all([
      t.token('delegate', 'europol'),
      t.token('delegate', 'afripol'),
      t.token('delegate', 'aimc'),
      t.token('delegate', 'interpol'),
      t.token('secretariat'),
    ]);
    await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
    const id = await api.submit(europol, 'strategic');
    const stream = `proposal-${id}`;
    const steps: Array<[string, () => Promise<{ statusCode: number }>]> = [
      ['comment', () => api.post(afripol, `/proposals/${id}/comments`, { body: 'Agreed in principle.' })],
      ['endorse', () => api.post(afripol, `/proposals/${id}/endorsements`, { note: 'Yes' })],
      ['object', () => api.post(aimc, `/proposals/${id}/objections`, { reason: 'Legal basis unclear' })],
      [
        'revise',
        () => api.post(europol, `/proposals/${id}/revisions`, { body: 'Revised text.' }, { 'if-match': 'W/"4"' }),
      ],
      ['withdraw objection', () => api.del(aimc, `/proposals/${id}/objections`)],
      ['withdraw endorsement', () => api.del(afripol, `/proposals/${id}/endorsements`)],
      ['endorse again', () => api.post(afripol, `/proposals/${id}/endorsements`, {})],
      ['decide', () => api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'Broad support' })],
    ];
    for (const [step, send] of steps) {
      const res = await send();
      expect(res.statusCode, step).toBeLessThan(300);
      // The cache answers from the fold kept after the append: the log holds nothing after it to read.
      expect(loaded(proposalDecider, stream), step).toEqual(foldedFromLog(proposalDecider, stream));
    }
    // Refused commands keep deciding on the same state: a second decision is a 409, not a 500 or a 200.
    expect((await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'rejected', note: 'n' })).statusCode).toBe(
      409,
    );
  });

  it('takes in events another writer appended to the stream after it', async () => {
    const [europol, afripol] = await Promise.all([t.token('delegate', 'europol'), t.token('delegate', 'afripol')]);
    const id = await api.submit(europol, 'strategic');
    const stream = `proposal-${id}`;
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, {})).statusCode).toBe(201);
    // Appended straight to the store, past the command path that keeps the fold (another write path of this
    // process: the fold is dropped at the commit). test/http/keptViews.test.ts covers other processes.
    await t.runtime.store.append({
      streamId: stream,
      expectedVersion: 2,
      events: [
        {
          type: 'EndorsementWithdrawn',
          data: { proposalId: id, groupId: 'strategic', visibility: 'dialogue', entityId: 'afripol' },
        },
      ],
      metadata: {
        actor: { entityId: 'afripol', person: 'A delegate elsewhere', role: 'delegate' },
        requestId: 'elsewhere-1',
      },
    });
    expect(loaded(proposalDecider, stream)).toEqual(foldedFromLog(proposalDecider, stream));
    // The command path decides on it: afripol's endorsement is gone, so endorsing again is accepted.
    expect((await api.post(afripol, `/proposals/${id}/endorsements`, {})).statusCode).toBe(201);
    expect(foldedFromLog(proposalDecider, stream).version).toBe(4);
  });
});
