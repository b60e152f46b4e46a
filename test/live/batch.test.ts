import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/live/session';
import { tcpOf } from '../../src/live/wire';
import { createLiveApp, type LiveContext, note } from './support';

let live: LiveContext | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

/** Counts the writes that reach each server-side TCP socket (one per system call once uncorked). */
function countWrites(context: LiveContext): () => number[] {
  const sessions = [...(context.app.liveHub as unknown as { sessions: Set<Session> }).sessions];
  const counts = sessions.map(() => 0);
  sessions.forEach((session, index) => {
    const tcp = tcpOf(session.socket) as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    for (const method of ['_write', '_writev'] as const) {
      const original = tcp[method].bind(tcp);
      tcp[method] = (...args: unknown[]) => {
        counts[index] = (counts[index] ?? 0) + 1;
        return original(...args);
      };
    }
  });
  return () => counts;
}

describe('publishing a group commit', () => {
  it('sends each socket its frames of the commit in order, per recipient, in one write', async () => {
    live = await createLiveApp();
    const context = live;
    const member = await context.connect(await context.token('delegate', 'europol'));
    const observer = await context.connect(await context.token('delegate', 'sco'));
    const memberStart = (await member.subscribe('group:operational')).position ?? 0;
    const observerStart = (await observer.subscribe('group:operational')).position ?? 0;
    const writes = countWrites(context);
    const visibilities = Array.from(
      { length: 30 },
      (_, i) => (i % 3 === 0 ? 'members' : 'dialogue') as 'members' | 'dialogue',
    );
    // Appended in one tick: one group commit, one publish of 30 events.
    await Promise.all(
      visibilities.map((visibility, i) => context.runtime.store.append(note('operational', visibility, `n${i}`))),
    );
    const last = context.app.liveHub.published;
    expect(last).toBe(memberStart + 30);
    await member.reach('group:operational', last);
    await observer.reach('group:operational', memberStart + 30 - 1);
    expect(member.events('group:operational').map((m) => m.position)).toEqual(
      Array.from({ length: 30 }, (_, i) => memberStart + 1 + i),
    );
    const seen = observer.events('group:operational');
    expect(seen.map((m) => m.event?.data.visibility)).toEqual(visibilities.filter((v) => v === 'dialogue'));
    expect(seen.map((m) => m.position)).toEqual(
      visibilities.flatMap((v, i) => (v === 'dialogue' ? [observerStart + 1 + i] : [])),
    );
    // One vectored write per socket for the whole commit, not one per frame.
    expect(writes()).toEqual([1, 1]);
    // Single events afterwards still go out at once.
    await context.runtime.store.append(note('operational', 'dialogue', 'after'));
    await member.reach('group:operational', last + 1);
    await observer.reach('group:operational', last + 1);
    member.close();
    observer.close();
  });
});
