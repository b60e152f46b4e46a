import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../support/app';
import { client } from './support';

/**
 * Where the guessed words also stand, out of the searcher's sight: nowhere, in a members-only proposal of
 * the group (hidden from observers), or in a group the searcher was removed from (or never took part in).
 */
type Hidden = { where: 'nowhere' } | { where: 'members' | 'other group'; text: string };

const opened: TestContext[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

/** A strategic group with some open deliberation; `sco` (an observer) and `interpol` are removed from `operational`. */
async function deliberation(hidden: Hidden) {
  const t = await createTestApp();
  opened.push(t);
  const api = client(t);
  const [europol, afripol, sco, secretariat] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'sco'),
    t.token('secretariat'),
  ]);
  for (const entity of ['sco', 'interpol'])
    expect((await api.del(secretariat, `/groups/operational/participants/${entity}`)).statusCode).toBe(200);
  const open: string[] = [];
  for (const [title, body] of [
    ['Border data exchange', 'Common formats for passenger records.'],
    ['Maritime piracy routes', 'Patrol coordination in the Gulf of Guinea.'],
    ['Cybercrime threat picture', 'Quarterly assessments shared between regions.'],
    ['Firearms tracing', 'Serial numbers and ballistic data.'],
    ['Training for analysts', 'Joint courses on open sources.'],
  ] as const) {
    open.push(await api.submit(europol, 'strategic', { title, body }));
  }
  if (hidden.where === 'members') {
    await api.submit(europol, 'strategic', { title: 'Restricted operation', body: hidden.text, visibility: 'members' });
  } else if (hidden.where === 'other group') {
    await api.submit(afripol, 'operational', { title: 'Operational follow-up', body: hidden.text });
  }
  return { t, api, europol, sco, open };
}

/**
 * The observer's search of the strategic group, in rank order: each result's place among the group's open
 * proposals (ids differ from one world to the next) and its score.
 */
async function observerSearch(world: Awaited<ReturnType<typeof deliberation>>, q: string) {
  const res = await world.api.get(world.sco, `/groups/strategic/proposals?q=${encodeURIComponent(q)}`);
  expect(res.statusCode).toBe(200);
  return (res.json().items as Array<{ id: string; score: number }>).map((item) => ({
    proposal: world.open.indexOf(item.id),
    score: item.score,
  }));
}

const HIDDEN_PLACES = (text: string): Hidden[] => [
  { where: 'nowhere' },
  { where: 'members', text },
  { where: 'other group', text },
];

describe('search scores reveal nothing the searcher may not see', () => {
  it('gives an observer the same score for its own guessed word whether or not hidden text holds it', async () => {
    const results = [];
    for (const hidden of HIDDEN_PLACES('Codename zephyrine for the joint operation.')) {
      const world = await deliberation(hidden);
      const target = world.open[1] as string;
      expect(
        (await world.api.post(world.sco, `/proposals/${target}/comments`, { body: 'Is zephyrine part of this?' }))
          .statusCode,
      ).toBe(201);
      results.push(await observerSearch(world, 'zephyrine'));
    }
    const [nowhere, members, otherGroup] = results;
    expect(nowhere).toEqual([{ proposal: 1, score: expect.any(Number) }]);
    expect(nowhere?.[0]?.score).toBeGreaterThan(0);
    expect(members).toEqual(nowhere);
    expect(otherGroup).toEqual(nowhere);
  });

  it('ranks two guessed words in the same order whichever of them hidden text holds', async () => {
    const results = [];
    for (const hidden of [
      { where: 'nowhere' } as const,
      { where: 'members', text: 'zephyrine zephyrine zephyrine' } as const,
      { where: 'other group', text: 'quillon quillon quillon' } as const,
      { where: 'members', text: 'quillon quillon quillon' } as const,
      { where: 'other group', text: 'zephyrine zephyrine zephyrine' } as const,
    ]) {
      const world = await deliberation(hidden);
      const [first, second] = world.open as [string, string];
      // One comment leans on each word: which ranks first depends only on how common each word is.
      await world.api.post(world.sco, `/proposals/${first}/comments`, { body: 'zephyrine zephyrine quillon' });
      await world.api.post(world.sco, `/proposals/${second}/comments`, { body: 'zephyrine quillon quillon' });
      results.push(await observerSearch(world, 'zephyrine quillon'));
    }
    expect(results[0]).toHaveLength(2);
    for (const result of results.slice(1)) expect(result).toEqual(results[0]);
  });

  it('gives a member author the same similar proposals and scores whether or not a group it is not in holds the words', async () => {
    const results = [];
    for (const hidden of [
      { where: 'nowhere' } as const,
      { where: 'other group', text: 'Sargassum sargassum drift drift beaching' } as const,
    ]) {
      const world = await deliberation(hidden);
      const interpol = await world.t.token('delegate', 'interpol');
      const shared = await world.api.submit(world.europol, 'strategic', {
        title: 'Sargassum drift',
        body: 'Coastal monitoring of seaweed.',
      });
      const res = await world.api.post(interpol, '/groups/strategic/proposals', {
        title: 'Sargassum beaching',
        body: 'Drift forecasts for ports.',
      });
      expect(res.statusCode).toBe(201);
      const similar = res.json().similar as Array<{ id: string; groupId: string; score: number }>;
      expect(similar.map((item) => item.id)).toEqual([shared]);
      results.push(similar.map((item) => ({ groupId: item.groupId, score: item.score })));
    }
    expect(results[1]).toEqual(results[0]);
  });
});
