import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { percentile, round, sleep, type Figure } from './lib';
import {
  arrivalOf,
  awaitText,
  installArrivalObserver,
  now,
  openPage,
  REGION,
  WAIT_MS,
  waitForRegion,
  type Server,
  type Token,
} from './webPage';

/** Between commands, so that each is delivered and rendered before the next is sent (none queue). */
const SPACING_MS = 100;

/** One command: when it was sent, when its response came, and when the page and the plain client had it (null: never). */
export interface Delivery {
  sent: number;
  responded: number;
  page: number | null;
  ws: number | null;
}

/** A `ws` client subscribed to the topic, resolving each awaited title with its frame's arrival time. */
async function plainSubscriber(server: Server, token: string, topic: string) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const waiting = new Map<string, (at: number) => void>();
  socket.on('message', (data) => {
    const at = now();
    const frame = JSON.parse(String(data)) as { type?: string; event?: { type?: string; data?: { title?: unknown } } };
    const title =
      frame.type === 'event' && frame.event?.type === 'ProposalSubmitted' ? frame.event.data?.title : undefined;
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

/**
 * `commands` submissions to strategic by `author`, one at a time: when each reaches the region "Proposals"
 * of `viewer`'s page (a MutationObserver in the page) and a plain `ws` client of the same topic and token.
 */
export async function measureLive(
  browser: Browser,
  server: Server,
  viewer: Token,
  author: Token,
  commands: number,
): Promise<Delivery[]> {
  const pagePath = '/app/groups/strategic';
  // Subscribed before the page, so that the server writes to the plain client first.
  const subscriber = await plainSubscriber(server, viewer.token, 'group:strategic');
  const page = await openPage(browser, server, viewer.token, pagePath);
  const deliveries: Delivery[] = [];
  const tag = Math.random().toString(36).slice(2, 8);
  try {
    await waitForRegion(page, pagePath);
    await page.evaluate(installArrivalObserver(REGION, WAIT_MS));
    for (let i = 0; i < commands; i += 1) {
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
      deliveries.push({ sent, responded, page: inPage, ws: inWs });
      await sleep(SPACING_MS);
    }
  } finally {
    subscriber.close();
    await page.context().close();
  }
  return deliveries;
}

const p95 = (samples: number[]) => (samples.length > 0 ? round(percentile([...samples], 95)) : null);
const p50 = (samples: number[]) => (samples.length > 0 ? round(percentile([...samples], 50)) : null);

/**
 * The figure, from each command's sending on both sides. From the response, as issue 20 words it, the plain
 * client's p95 is about 0 or below (the service publishes before it answers), so it cannot be a baseline;
 * those latencies are in `details.fromResponse`, and the page's lag behind the plain client in `pageAfterWs`.
 */
export function liveFigure(deliveries: Delivery[], commands: number, failure: string | undefined): Figure {
  const latencies = (side: 'page' | 'ws', from: 'sent' | 'responded') =>
    deliveries.flatMap((delivery) => {
      const arrival = delivery[side];
      return arrival === null ? [] : [arrival - delivery[from]];
    });
  const missing = (side: 'page' | 'ws') => deliveries.filter((delivery) => delivery[side] === null).length;
  const pageAfterWs = deliveries.flatMap(({ page, ws }) => (page === null || ws === null ? [] : [page - ws]));
  const figure: Figure = {
    name: 'web-live-vs-ws',
    unit: 'ms',
    value: p95(latencies('page', 'sent')),
    baseline: {
      name: 'p95 from the same commands to a plain ws client subscribed to the same topic',
      value: p95(latencies('ws', 'sent')),
    },
    higherIsBetter: false,
    bar: 0.5,
    details: {
      commands,
      spacingMs: SPACING_MS,
      latencyFrom: 'command sent',
      fromSent: { pageP50Ms: p50(latencies('page', 'sent')), wsP50Ms: p50(latencies('ws', 'sent')) },
      fromResponse: {
        pageP95Ms: p95(latencies('page', 'responded')),
        wsP95Ms: p95(latencies('ws', 'responded')),
        pageP50Ms: p50(latencies('page', 'responded')),
        wsP50Ms: p50(latencies('ws', 'responded')),
      },
      pageAfterWs: { p50Ms: p50(pageAfterWs), p95Ms: p95(pageAfterWs) },
      missing: { page: missing('page'), ws: missing('ws') },
    },
  };
  if (failure) figure.note = `not measured: ${failure}`;
  else if (missing('page') > 0 || missing('ws') > 0)
    figure.note = `${missing('page')} page and ${missing('ws')} ws deliveries of ${commands} missing`;
  return figure;
}
