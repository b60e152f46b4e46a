import type { SigningKey } from '../../../src/audit/signing';
import { Scheduler } from '../../../src/deadlines/scheduler';
import { silenceDeadline } from '../../../src/editions/declaration/deadline';
import { createTestApp, type TestContext } from '../../support/app';
import { client } from '../../proposals/support';

/** The next edition number of each test app: its first edition is the seventh. */
const nextNumber = new WeakMap<TestContext, number>();

/** An edition scheduled, its agenda and attendance recorded, through the editions' routes (as the secretariat). */
export async function scheduleEdition(
  t: TestContext,
  edition: { number?: number; agenda?: string[]; attending?: Array<[string, 'member' | 'observer']> } = {},
): Promise<string> {
  const api = client(t);
  const secretariat = await t.token('secretariat');
  const number = edition.number ?? nextNumber.get(t) ?? 7;
  nextNumber.set(t, number + 1);
  const scheduled = await api.post(secretariat, '/editions', {
    number,
    title: 'Seventh Dialogue',
    startsOn: '2026-03-10',
    endsOn: '2026-03-11',
    venue: 'Lyon',
  });
  if (scheduled.statusCode !== 201) throw new Error(`edition refused: ${scheduled.body}`);
  const editionId: string = scheduled.json().id;
  for (const proposalId of edition.agenda ?? []) {
    const res = await api.post(secretariat, `/editions/${editionId}/agenda`, { proposalId });
    if (res.statusCode !== 201) throw new Error(`agenda refused: ${res.body}`);
  }
  for (const [entityId] of edition.attending ?? []) {
    const delegates = [`Delegate of ${entityId}`];
    const res = await api.post(secretariat, `/editions/${editionId}/attendance`, { entityId, delegates });
    if (res.statusCode !== 201) throw new Error(`attendance refused: ${res.body}`);
  }
  return editionId;
}

/** A test app with the callers the declaration's rules tell apart, and an edition with two adopted proposals. */
export async function declarationContext() {
  const t = await createTestApp();
  const api = client(t);
  const [secretariat, auditor, europol, interpol, afripol, aimc, sco] = await Promise.all([
    t.token('secretariat'),
    t.token('auditor'),
    t.token('delegate', 'europol'),
    t.token('delegate', 'interpol'),
    t.token('delegate', 'afripol'),
    t.token('delegate', 'aimc'),
    t.token('delegate', 'sco'),
  ]);
  await api.post(secretariat, '/groups/strategic/chairs', { entityId: 'interpol' });
  const adopted = async (title: string, body: Record<string, unknown> = {}) => {
    const id = await api.submit(europol, 'strategic', { title, body: `The text of ${title}.`, ...body });
    const res = await api.post(interpol, `/proposals/${id}/decision`, { outcome: 'adopted', note: 'Agreed' });
    if (res.statusCode !== 200) throw new Error(`decision refused: ${res.body}`);
    return id;
  };
  const first = await adopted('Four areas of cooperation');
  const open = await api.submit(europol, 'strategic', { title: 'Still open' });
  const second = await adopted('Streamlined working groups');
  const hidden = await adopted('Members only', { visibility: 'members' });
  const editionId = await scheduleEdition(t, {
    agenda: [first, open, second, hidden],
    attending: [
      ['europol', 'member'],
      ['interpol', 'member'],
      ['sco', 'observer'],
    ],
  });
  return {
    t,
    api,
    secretariat,
    auditor,
    europol,
    interpol,
    afripol,
    aimc,
    sco,
    editionId,
    first,
    second,
    hidden,
    open,
  };
}
export type DeclarationContext = Awaited<ReturnType<typeof declarationContext>>;

/** Paths of an edition's declaration. */
export const paths = (editionId: string) => {
  const base = `/editions/${editionId}/declaration`;
  return { base, paragraphs: `${base}/paragraphs`, silence: `${base}/silence`, breaks: `${base}/silence/breaks` };
};

/** PUT, which the proposals' client does not speak. */
export function put(
  t: TestContext,
  token: string,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'PUT',
    url,
    headers: { ...t.auth(token), 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(payload),
  });
}

/** Opens silence on the context's edition (drafted first if need be) until an hour and a minute from now. */
export async function openSilence(
  c: Pick<DeclarationContext, 't' | 'api' | 'secretariat'> & { editionId?: string },
  editionId = c.editionId ?? '',
): Promise<string> {
  const p = paths(editionId);
  if ((await c.api.get(c.secretariat, p.base)).statusCode === 404) await c.api.post(c.secretariat, p.base);
  const until = new Date(c.t.time.clock().getTime() + 61 * 60 * 1000).toISOString();
  const res = await c.api.post(c.secretariat, p.silence, { until });
  if (res.statusCode !== 200) throw new Error(`silence refused: ${res.body}`);
  return until;
}

/**
 * The context's declaration adopted by the scheduler (signed with `key`), its text including lines that
 * look like the documents' own (a heading, a rule, a quote, markup).
 */
export async function adoptedDeclaration(c: DeclarationContext, key: SigningKey): Promise<void> {
  const p = paths(c.editionId);
  await c.api.post(c.secretariat, p.base);
  const version = (await c.api.get(c.secretariat, p.base)).json().version;
  const text = 'Tricky: <script>alert(1)</script> & "quotes"\n\n## 2\n---\n> not a quote\n  indented line';
  await c.api.post(c.secretariat, p.paragraphs, { text, expectedVersion: version });
  await openSilence(c);
  c.t.time.advance(2 * 60 * 60 * 1000);
  const fired = await new Scheduler(
    c.t.runtime.commands,
    [silenceDeadline(c.t.runtime.declarations, key)],
    c.t.time.clock,
    1000,
  ).runDue();
  if (fired.length !== 1) throw new Error('the procedure did not end');
}
