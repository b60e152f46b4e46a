import { openSilence, paths, scheduleEdition } from '../editions/declaration/support';
import { client } from '../proposals/support';
import { createTestApp, type TestContext } from './app';

/** A test app with an author entity's delegate, the strategic group's chair and the secretariat. */
export interface WritersContext {
  t: TestContext;
  api: ReturnType<typeof client>;
  author: string;
  chair: string;
  secretariat: string;
}

export async function createWriters(): Promise<WritersContext> {
  const t = await createTestApp();
  const api = client(t);
  const [author, chair, secretariat] = await Promise.all([
    t.token('delegate', 'europol'),
    t.token('delegate', 'interpol'),
    t.token('secretariat'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  return { t, api, author, chair, secretariat };
}

/** One write route: who may send it, its OpenAPI path, a URL, a valid body and the body's free-text fields. */
export interface Write {
  /** POST unless said. */
  method?: 'PUT';
  token: string;
  path: string;
  url: string;
  body: Record<string, unknown>;
  fields: string[];
}

/** Edition numbers are unique: each call's edition takes the next one. */
let editionNumber = 0;

/** Every write body of the API (all POSTs), against a fresh proposal, action item and edition. */
export async function everyWrite(writers: WritersContext): Promise<Write[]> {
  const { api, author, chair, secretariat } = writers;
  const proposal = await api.submit(author, 'strategic');
  editionNumber += 1;
  const day = { startsOn: '2026-05-12', endsOn: '2026-05-14' };
  const edition = { number: editionNumber, title: 'e', ...day, venue: 'v' };
  const editionId = (await api.post(secretariat, '/editions', edition)).json().id;
  const item = (
    await api.post(chair, '/groups/strategic/action-items', {
      title: 'i',
      ownerEntityId: 'afripol',
      dueDate: '2026-12-01',
    })
  ).json().id;
  const write = (
    token: string,
    path: string,
    url: string,
    body: Record<string, unknown>,
    fields: string[] = [],
  ): Write => ({ token, path, url, body, fields });
  return [
    write(author, '/groups/{groupId}/proposals', '/groups/strategic/proposals', { title: 't', body: 'b' }, [
      'title',
      'body',
    ]),
    write(author, '/proposals/{id}/revisions', `/proposals/${proposal}/revisions`, { title: 'x', expectedVersion: 1 }, [
      'title',
      'body',
    ]),
    write(chair, '/proposals/{id}/comments', `/proposals/${proposal}/comments`, { body: 'c' }, ['body']),
    write(chair, '/proposals/{id}/endorsements', `/proposals/${proposal}/endorsements`, { note: 'n' }, ['note']),
    write(chair, '/proposals/{id}/objections', `/proposals/${proposal}/objections`, { reason: 'r' }, ['reason']),
    write(
      chair,
      '/proposals/{id}/closes-at',
      `/proposals/${proposal}/closes-at`,
      { closesAt: '2026-12-01T00:00:00Z', reason: 'r' },
      ['reason'],
    ),
    write(author, '/proposals/{id}/withdrawal', `/proposals/${proposal}/withdrawal`, { reason: 'r' }, ['reason']),
    write(chair, '/proposals/{id}/decision', `/proposals/${proposal}/decision`, { outcome: 'rejected', note: 'n' }, [
      'note',
    ]),
    write(
      chair,
      '/groups/{groupId}/action-items',
      '/groups/strategic/action-items',
      { title: 't', ownerEntityId: 'afripol', dueDate: '2026-12-01' },
      ['title'],
    ),
    write(
      chair,
      '/action-items/{id}/due-date',
      `/action-items/${item}/due-date`,
      { dueDate: '2026-12-02', reason: 'r' },
      ['reason'],
    ),
    write(chair, '/action-items/{id}/progress', `/action-items/${item}/progress`, { percent: 1, note: 'n' }, ['note']),
    write(chair, '/action-items/{id}/completion', `/action-items/${item}/completion`, { note: 'n' }, ['note']),
    write(chair, '/action-items/{id}/reopening', `/action-items/${item}/reopening`, { reason: 'r' }, ['reason']),
    write(chair, '/action-items/{id}/cancellation', `/action-items/${item}/cancellation`, { reason: 'r' }, ['reason']),
    write(secretariat, '/groups/{groupId}/chairs', '/groups/operational/chairs', { entityId: 'afripol' }),
    write(secretariat, '/groups/{groupId}/participants', '/groups/operational/participants', { entityId: 'afripol' }),
    write(secretariat, '/editions', '/editions', { ...edition, number: editionNumber + 1000 }, ['title', 'venue']),
    write(secretariat, '/editions/{id}/agenda', `/editions/${editionId}/agenda`, { proposalId: proposal }),
    write(secretariat, '/editions/{id}/attendance', `/editions/${editionId}/attendance`, {
      entityId: 'europol',
      delegates: ['d'],
    }),
    ...(await declarationWrites(writers, write)),
  ];
}

/** The declaration's writes with free text, against an edition whose declaration is under silence. */
async function declarationWrites(
  { t, api, author, secretariat }: WritersContext,
  write: (token: string, path: string, url: string, body: Record<string, unknown>, fields?: string[]) => Write,
): Promise<Write[]> {
  const editionId = await scheduleEdition(t, { attending: [['europol', 'member']] });
  const p = paths(editionId);
  await api.post(secretariat, p.base);
  await api.post(secretariat, p.paragraphs, { text: 'A paragraph', expectedVersion: 3 });
  await openSilence({ t, api, secretariat }, editionId);
  return [
    write(secretariat, '/editions/{id}/declaration/paragraphs', p.paragraphs, { text: 't', expectedVersion: 4 }, [
      'text',
    ]),
    write(author, '/editions/{id}/declaration/silence/breaks', p.breaks, { reason: 'r' }, ['reason']),
  ];
}

/** Writes by another method than POST, which the checks of every POST body do not send. */
export async function otherWrites({ t, secretariat }: WritersContext): Promise<Write[]> {
  const editionId = await scheduleEdition(t);
  const url = `${paths(editionId).paragraphs}/1`;
  const path = '/editions/{id}/declaration/paragraphs/{n}';
  return [{ method: 'PUT', token: secretariat, path, url, body: { text: 't', expectedVersion: 1 }, fields: ['text'] }];
}
