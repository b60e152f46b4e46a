import { it } from 'vitest';
import { createLiveApp, note } from '/work/main/test/live/support';
it('fan', async () => {
  const live = await createLiveApp({ WS_MAX_CONNECTIONS_PER_TOKEN: '1000' });
  const t = await live.token('delegate', 'europol');
  const clients = [];
  for (let i = 0; i < 500; i++) { const c = await live.connect(t); await c.subscribe('group:strategic'); clients.push(c); }
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await live.runtime.store.append(note('strategic', 'dialogue', 'x'.repeat(300)));
  const last = live.app.liveHub.published;
  await Promise.all(clients.map((c) => c.reach('group:strategic', last)));
  console.log('deliveries', 500 * 200, 'ms', Math.round(performance.now() - t0));
  const t1 = performance.now();
  const c = await live.connect(t);
  const ps = [];
  for (let i = 0; i < 20000; i++) ps.push(live.runtime.store.append(note(i % 2 ? 'strategic' : 'operational', 'dialogue', 'y'.repeat(200))));
  await Promise.all(ps);
  const t2 = performance.now();
  const head = live.runtime.store.reader.head().position;
  await c.subscribe('group:strategic', 0);
  await c.reach('group:strategic', head);
  console.log('catchup events', c.events('group:strategic').length, 'ms', Math.round(performance.now() - t2));
  await live.close();
}, 120000);
