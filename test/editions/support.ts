import { createTestApp, type TestContext } from '../support/app';
import { client } from '../proposals/support';

/** An app with the secretariat, the strategic group's chair, a member delegate and an observer delegate. */
export interface EditionsContext {
  t: TestContext;
  api: ReturnType<typeof client>;
  secretariat: string;
  chair: string;
  member: string;
  observer: string;
  auditor: string;
}

export async function createEditions(start = '2026-03-02T09:00:00.000Z'): Promise<EditionsContext> {
  const t = await createTestApp({ start });
  const api = client(t);
  const [secretariat, chair, member, observer, auditor] = await Promise.all([
    t.token('secretariat'),
    t.token('delegate', 'interpol'),
    t.token('delegate', 'europol'),
    t.token('delegate', 'unodc'),
    t.token('auditor'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  await api.post(secretariat, '/groups/operational/chairs', { entityId: 'interpol' });
  return { t, api, secretariat, chair, member, observer, auditor };
}

/** Schedules an edition through the route and returns its id. */
export async function schedule(
  { api, secretariat }: EditionsContext,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await api.post(secretariat, '/editions', {
    number: 6,
    title: 'Sixth Global Dialogue',
    startsOn: '2026-05-12',
    endsOn: '2026-05-14',
    venue: 'Lyon',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Submits a proposal in a group and has its chair decide it. */
export async function decided(
  { api, member, chair }: EditionsContext,
  groupId: string,
  outcome: 'adopted' | 'rejected',
  body: Record<string, unknown> = {},
): Promise<string> {
  const id = await api.submit(member, groupId, body);
  const res = await api.post(chair, `/proposals/${id}/decision`, { outcome, note: `${outcome} by the group` });
  if (res.statusCode !== 200) throw new Error(res.body);
  return id;
}
