/**
 * The web page's figures (issue 20), with Debian's Chromium driven by playwright-core against our server in
 * this process:
 * - web-live-vs-ws: p95 from a submission's HTTP response to its title in another member's page (the region
 *   "Proposals" of /app/groups/strategic), vs p95 from the same response to the event reaching a plain `ws`
 *   client subscribed to the same topic; same commands, one at a time.
 * - web-list-1000-vs-fetch: the click on the group's "Proposals" link of /app/ until the first page of a
 *   group of 1,000 proposals stands in the region, vs a plain fetch of the same list JSON from the same page.
 * - web-js-gzip-kb: the page's script, gzipped, vs a 150 KB budget.
 */
import path from 'node:path';
import WebSocket from 'ws';
import type { Browser, Page, Request } from 'playwright-core';
import { CHROMIUM, hasChromium } from '../../test/web/browser/chromium';
import { launchBrowser } from '../../test/web/browser/support';
import { webBundle } from '../../src/web/server/bundle';
import { BENCH_DIR, benchArgs, describeError, log, median, nextMessage, percentile, removeDir, round, scratchDir, sleep, spawnTs, writeResult, type Figure } from './lib';
import { LIST_GROUP, LIST_SIZE } from './webServer';
import { arrivalOf, awaitText, installArrivalObserver, timedFetch, timedNavigation } from './webPage';

const args = benchArgs();
const COMMANDS = args.quick ? 15 : 60;
const LIST_ROUNDS = args.quick ? 3 : 9;
/** Between commands, so that each is delivered and rendered before the next is sent (none queue). */
const SPACING_MS = 100;
const REGION = 'Proposals';
const WAIT_MS = 15_000;
const now = () => performance.timeOrigin + performance.now();
const dir = scratchDir('web');

type Token = { token: string; entityId: string };
/** The server of webServer.ts, in its own process. */
type Server = { url: string; port: number; tokens: Token[] };

/** A page signed in by the sign-in link's way, once its live connection is up. */
async function openPage(browser: Browser, server: Server, token: string, pagePath: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}${pagePath}#token=${encodeURIComponent(token)}`);
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'connected' }).waitFor({ timeout: WAIT_MS });
  return page;
}

async function waitForRegion(page: Page, pagePath: string): Promise<void> {
  try {
    await page.getByRole('region', { name: REGION }).first().waitFor({ timeout: WAIT_MS });
  } catch {
    throw new Error(`the page ${pagePath} shows no region named "${REGION}"`);
  }
}

/** A `ws` client subscribed to the topic, resolving each awaited title with its frame's arrival time. */
async function plainSubscriber(server: Server, token: string, topic: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
  const waiting = new Map<string, (at: number) => void>();
  socket.on('message', (data) => {
    const at = now();
    const frame = JSON.parse(String(data)) as { type?: string; event?: { type?: string; data?: { title?: unknown } } };
    const title = frame.type === 'event' && frame.event?.type === 'ProposalSubmitted' ? frame.event.data?.title : undefined;
    if (typeof title === 'string') waiting.get(title)?.(at);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', topic })));
    socket.on('message', function subscribed(data) {
      if (!String(data).includes('"subscribed"')) return;
      socket.off('message', subscribed);
      resolve();
    });
  });
  return {
    arrival: (title: string) =>
      new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), WAIT_MS);
        waiting.set(title, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
    close: () => socket.terminate(),
  };
}

interface LiveRun {
  fromResponse: { page: number[]; ws: number[] };
  fromSent: { page: number[]; ws: number[] };
  missing: { page: number; ws: number };
}

function record(run: LiveRun, side: 'page' | 'ws', arrival: number | null, command: { sent: number; responded: number }): void {
  if (arrival === null) {
    run.missing[side] += 1;
    return;
  }
  run.fromResponse[side].push(arrival - command.responded);
  run.fromSent[side].push(arrival - command.sent);
}

async function measureLive(browser: Browser, server: Server, viewer: Token, author: Token): Promise<LiveRun> {
  const pagePath = '/app/groups/strategic';
  // Subscribed before the page, so that the server writes to the plain client first.
  const subscriber = await plainSubscriber(server, viewer.token, 'group:strategic');
  const page = await openPage(browser, server, viewer.token, pagePath);
  await waitForRegion(page, pagePath);
  await page.evaluate(installArrivalObserver(REGION, WAIT_MS));
  const run: LiveRun = { fromResponse: { page: [], ws: [] }, fromSent: { page: [], ws: [] }, missing: { page: 0, ws: 0 } };
  const tag = Math.random().toString(36).slice(2, 8);
  try {
    for (let i = 0; i < COMMANDS; i += 1) {
      // Fixed width, so that no title is a prefix of another.
      const title = `Live delivery check ${tag} ${String(i).padStart(4, '0')}`;
      await page.evaluate(awaitText(title));
      const wsArrival = subscriber.arrival(title);
      const sent = now();
      const response = await fetch(`${server.url}/groups/strategic/proposals`, {
        method: 'POST',
        headers: { authorization: `Bearer ${author.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, body: 'A proposal the benchmark submits to time its delivery to a page.' }),
      });
      const responded = now();
      await response.json();
      if (response.status !== 201) throw new Error(`POST /groups/strategic/proposals answered ${response.status}`);
      const [inPage, inWs] = await Promise.all([page.evaluate(arrivalOf(title)) as Promise<number | null>, wsArrival]);
      record(run, 'page', inPage, { sent, responded });
      record(run, 'ws', inWs, { sent, responded });
      await sleep(SPACING_MS);
    }
  } finally {
    subscriber.close();
    await page.context().close();
  }
  return run;
}

interface ListRun {
  navigationMs: number[];
  fetchMs: number[];
  url: string;
  rows: number;
}

async function measureList(browser: Browser, server: Server, viewer: Token): Promise<ListRun> {
  const page = await openPage(browser, server, viewer.token, '/app/');
  const linkPath = `/groups/${LIST_GROUP}`;
  const link = page.locator(`a[href$="${linkPath}"]`).filter({ hasText: REGION });
  const back = async () => {
    await page.evaluate('history.back()');
    await link.waitFor({ timeout: WAIT_MS });
    await sleep(300);
  };
  try {
    await link.waitFor({ timeout: WAIT_MS });
    // A first, untimed visit: which list request the page makes, and the rows it shows.
    const requests: Request[] = [];
    const listPath = `/groups/${LIST_GROUP}/proposals`;
    const onRequest = (request: Request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname.endsWith(listPath)) requests.push(request);
    };
    page.on('request', onRequest);
    await link.click();
    await waitForRegion(page, `/app${linkPath}`);
    await page.waitForLoadState('networkidle');
    page.off('request', onRequest);
    // The list's request is the one whose rows the region shows (the page may read others, e.g. for counts).
    const shownText = (await page.getByRole('region', { name: REGION }).first().textContent()) ?? '';
    let list: { url: string; titles: string[] } | undefined;
    for (const request of requests) {
      const body = (await (await request.response())?.json()) as { items?: { title: string }[] } | undefined;
      const titles = body?.items?.map((item) => item.title) ?? [];
      if (titles.length > (list?.titles.length ?? 0) && titles.every((title) => shownText.includes(title))) list = { url: request.url(), titles };
    }
    if (!list) throw new Error(`the page made no request of ${listPath} whose rows the region "${REGION}" shows`);
    const shown = list;
    await back();
    const run: ListRun = { navigationMs: [], fetchMs: [], url: shown.url, rows: shown.titles.length };
    await page.evaluate(timedFetch(shown.url, viewer.token));
    for (let round = 0; round < LIST_ROUNDS; round += 1) {
      run.navigationMs.push((await page.evaluate(timedNavigation(linkPath, REGION, shown.titles, WAIT_MS))) as number);
      await back();
      run.fetchMs.push((await page.evaluate(timedFetch(shown.url, viewer.token))) as number);
      await sleep(300);
    }
    return run;
  } finally {
    await page.context().close();
  }
}

async function measureInBrowser(): Promise<{ live?: LiveRun; list?: ListRun; liveFailure?: string; listFailure?: string }> {
  if (!hasChromium) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    return { liveFailure: reason, listFailure: reason };
  }
  const child = spawnTs(path.join(BENCH_DIR, 'webServer.ts'), [dir]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const result: Awaited<ReturnType<typeof measureInBrowser>> = {};
  let browser: Browser | undefined;
  try {
    const server = await nextMessage<Server>(child);
    browser = await launchBrowser();
    const [viewer, author] = server.tokens;
    if (!viewer || !author) throw new Error('no tokens');
    try {
      result.live = await measureLive(browser, server, viewer, author);
    } catch (error) {
      result.liveFailure = describeError(error);
    }
    try {
      result.list = await measureList(browser, server, viewer);
    } catch (error) {
      result.listFailure = describeError(error);
    }
  } finally {
    await browser?.close();
    if (child.connected) child.send('exit');
    else child.kill();
    await exited;
  }
  return result;
}

const bundle = await webBundle();
let measured: Awaited<ReturnType<typeof measureInBrowser>>;
try {
  measured = await measureInBrowser();
} catch (error) {
  measured = { liveFailure: describeError(error), listFailure: describeError(error) };
} finally {
  removeDir(dir);
}
if (measured.liveFailure) log(`web live: not measured: ${measured.liveFailure}`);
if (measured.listFailure) log(`web list: not measured: ${measured.listFailure}`);

const p95 = (samples: number[] | undefined) => (samples && samples.length > 0 ? round(percentile([...samples], 95)) : null);
const p50 = (samples: number[] | undefined) => (samples && samples.length > 0 ? round(percentile([...samples], 50)) : null);
const { live, list } = measured;
const liveFigure: Figure = {
  name: 'web-live-vs-ws',
  unit: 'ms',
  value: p95(live?.fromResponse.page),
  baseline: { name: "p95 from the same commands' responses to a plain ws client subscribed to the same topic", value: p95(live?.fromResponse.ws) },
  higherIsBetter: false,
  bar: 0.5,
  details: {
    commands: COMMANDS,
    spacingMs: SPACING_MS,
    fromResponse: { pageP50Ms: p50(live?.fromResponse.page), wsP50Ms: p50(live?.fromResponse.ws) },
    fromSent: { pageP95Ms: p95(live?.fromSent.page), wsP95Ms: p95(live?.fromSent.ws), pageP50Ms: p50(live?.fromSent.page), wsP50Ms: p50(live?.fromSent.ws) },
    missing: live?.missing ?? null,
  },
};
const listFigure: Figure = {
  name: 'web-list-1000-vs-fetch',
  unit: 'ms',
  value: list ? round(median(list.navigationMs)) : null,
  baseline: { name: 'plain fetch of the same list JSON from the same page, median', value: list ? round(median(list.fetchMs)) : null },
  higherIsBetter: false,
  bar: 1 / 3,
  details: list
    ? { proposals: LIST_SIZE, rows: list.rows, request: new URL(list.url).pathname + new URL(list.url).search, rounds: LIST_ROUNDS, navigationMs: list.navigationMs.map((ms) => round(ms)), fetchMs: list.fetchMs.map((ms) => round(ms)) }
    : { proposals: LIST_SIZE },
};
const KB = 1000;
const gzipFigure: Figure = {
  name: 'web-js-gzip-kb',
  unit: 'KB',
  value: round(bundle.script.gzip.length / KB, 1),
  baseline: { name: 'budget: 150 KB', value: 150 },
  higherIsBetter: false,
  bar: 1,
  details: {
    scriptKb: round(bundle.script.body.length / KB, 1),
    styleGzipKb: round(bundle.style.gzip.length / KB, 1),
    styleKb: round(bundle.style.body.length / KB, 1),
  },
};
if (measured.liveFailure) liveFigure.note = `not measured: ${measured.liveFailure}`;
else if (live && (live.missing.page > 0 || live.missing.ws > 0)) {
  liveFigure.note = `${live.missing.page} page and ${live.missing.ws} ws deliveries of ${COMMANDS} missing`;
}
if (measured.listFailure) listFigure.note = `not measured: ${measured.listFailure}`;
writeResult(args.out, { figures: [liveFigure, listFigure, gzipFigure] });
