import { it } from 'vitest';
import { createLiveApp } from './support';
it('prof', async () => {
  const live = await createLiveApp({ WS_MAX_CONNECTIONS_PER_TOKEN: '1000' });
  const author = await live.token('delegate', 'europol');
  const other = await live.token('delegate', 'interpol');
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await live.app.inject({ method: 'POST', url: '/groups/strategic/proposals', headers: live.auth(author), payload: { title: `Proposal number ${i} about alerts`, body: 'Body text of the proposal '.repeat(10) } });
    ids.push(r.json().id);
  }
  const post = async (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await live.app.inject({ method: 'POST', url: `/proposals/${ids[i % 20]}/comments`, headers: live.auth(other), payload: { body: 'We support the alert format; could the field list be reviewed after six months of use?' } });
      if (r.statusCode !== 201) throw new Error(r.body);
    }
    return Math.round(performance.now() - t0);
  };
  console.log('no clients: 200 comments ms', await post(200));
  const clients = [];
  for (let i = 0; i < 500; i++) { const c = await live.connect(other); await c.subscribe('group:strategic'); clients.push(c); }
  console.log('500 clients: 200 comments ms', await post(200));
  await live.close();
}, 120000);
