import type { Browser, Page, Request } from 'playwright-core';
import { median, round, sleep, type Figure } from './lib';
import {
  LIST_GROUP,
  LIST_SIZE,
  openPage,
  REGION,
  timedFetch,
  timedNavigation,
  WAIT_MS,
  waitForRegion,
  type Server,
  type Token,
} from './webPage';

export interface ListRun {
  navigationMs: number[];
  /** From the click to the list's response, within each navigation. */
  listResponseMs: number[];
  fetchMs: number[];
  url: string;
  rows: number;
  /** Every request of the group's list path the page made on its first visit (the list's and others). */
  pageRequests: string[];
}

/**
 * The list's request among the page's requests of the list path: the one with the most rows that all stand
 * in the region (the page may read the path for other ends, e.g. counts). Waits for the rows to be shown.
 */
async function shownList(page: Page, requests: Request[]): Promise<{ url: string; titles: string[] } | undefined> {
  const read = new Map<Request, string[]>();
  const until = performance.now() + WAIT_MS;
  while (performance.now() < until) {
    for (const request of [...requests]) {
      if (read.has(request)) continue;
      const body = (await (await request.response())?.json()) as { items?: { title: string }[] } | undefined;
      read.set(request, body?.items?.map((item) => item.title) ?? []);
    }
    const text = (await page.getByRole('region', { name: REGION }).first().textContent()) ?? '';
    let list: { url: string; titles: string[] } | undefined;
    for (const [request, titles] of read) {
      if (titles.length > (list?.titles.length ?? 0) && titles.every((title) => text.includes(title)))
        list = { url: request.url(), titles };
    }
    if (list) return list;
    await sleep(100);
  }
  return undefined;
}

/**
 * From /app/ (the shell loaded, as a user arrives), `rounds` clicks on the group's "Proposals" link until
 * the region shows every row of the page's list request, each followed (back on /app/) by a plain fetch of
 * that request's URL from the same page.
 */
export async function measureList(browser: Browser, server: Server, viewer: Token, rounds: number): Promise<ListRun> {
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
    const list = await shownList(page, requests);
    // The page's other reads of the path (listed in the details) end meanwhile.
    await sleep(1000);
    page.off('request', onRequest);
    if (!list) throw new Error(`the page made no request of ${listPath} whose rows the region "${REGION}" shows`);
    const { url, titles } = list;
    await back();
    const pageRequests = requests.map((request) => new URL(request.url()).search || '(no query)');
    const run: ListRun = { navigationMs: [], listResponseMs: [], fetchMs: [], url, rows: titles.length, pageRequests };
    await page.evaluate(timedFetch(url, viewer.token));
    for (let round = 0; round < rounds; round += 1) {
      const navigation = (await page.evaluate(timedNavigation(linkPath, REGION, titles, url, WAIT_MS))) as {
        renderedMs: number;
        listResponseMs: number | null;
      };
      run.navigationMs.push(navigation.renderedMs);
      if (navigation.listResponseMs !== null) run.listResponseMs.push(navigation.listResponseMs);
      await back();
      run.fetchMs.push((await page.evaluate(timedFetch(url, viewer.token))) as number);
      await sleep(300);
    }
    return run;
  } finally {
    await page.context().close();
  }
}

export function listFigure(list: ListRun | undefined, rounds: number, failure: string | undefined): Figure {
  const figure: Figure = {
    name: 'web-list-1000-vs-fetch',
    unit: 'ms',
    value: list ? round(median(list.navigationMs)) : null,
    baseline: {
      name: 'plain fetch of the same list JSON from the same page, median',
      value: list ? round(median(list.fetchMs)) : null,
    },
    higherIsBetter: false,
    bar: 1 / 3,
    details: { proposals: LIST_SIZE, rounds },
  };
  if (list) {
    const { pathname, search } = new URL(list.url);
    const ms = (values: number[]) => values.map((value) => round(value));
    figure.details = {
      ...figure.details,
      rows: list.rows,
      request: pathname + search,
      pageRequests: list.pageRequests,
      navigationMs: ms(list.navigationMs),
      listResponseMs: ms(list.listResponseMs),
      fetchMs: ms(list.fetchMs),
    };
  }
  if (failure) figure.note = `not measured: ${failure}`;
  return figure;
}
