/**
 * The browser page as the web scenario drives it: signing in, and what runs inside the page, as strings (the
 * scripts' tsconfig has no DOM library, and a string is what Playwright evaluates as it is). Arrival times are
 * `performance.timeOrigin + performance.now()`, the epoch clock the scenario's Node process reads the same
 * way (one machine).
 */
import type { Browser, Page } from 'playwright-core';

/** The region of the proposals page, by the name issue 20 gives it. */
export const REGION = 'Proposals';
/** The group the list figure navigates to, and how many proposals webServer.ts fills it with. */
export const LIST_GROUP = 'operational';
export const LIST_SIZE = 1000;
/** How long the scenario waits for anything in the page before it gives up. */
export const WAIT_MS = 15_000;
export const now = () => performance.timeOrigin + performance.now();

export type Token = { token: string; entityId: string };
/** The server of webServer.ts, in its own process. */
export type Server = { url: string; port: number; tokens: Token[] };

/** A page signed in by the sign-in link's way, once its live connection is up. */
export async function openPage(browser: Browser, server: Server, token: string, pagePath: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}${pagePath}#token=${encodeURIComponent(token)}`);
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'connected' }).waitFor({ timeout: WAIT_MS });
  return page;
}

export async function waitForRegion(page: Page, pagePath: string): Promise<void> {
  try {
    await page.getByRole('region', { name: REGION }).first().waitFor({ timeout: WAIT_MS });
  } catch {
    throw new Error(`the page ${pagePath} shows no region named "${REGION}"`);
  }
}

/** The element of a region or landmark by its accessible name (aria-label or aria-labelledby). */
const FIND_REGION = `(name) => {
  for (const element of document.querySelectorAll('[aria-label], [aria-labelledby]')) {
    const label = element.getAttribute('aria-label') ??
      element.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    if (label.trim() === name && element.tagName !== 'A' && element.tagName !== 'BUTTON') return element;
  }
  return null;
}`;

/**
 * Installs a MutationObserver on the page that records when each awaited text first stands in the region:
 * `__benchAwait(text)` adds one and resolves with its arrival time (or null after `timeoutMs`).
 */
export function installArrivalObserver(region: string, timeoutMs: number): string {
  return `(() => {
    const findRegion = ${FIND_REGION};
    const waiting = new Map();
    const arrived = new Map();
    const check = () => {
      if (waiting.size === 0) return;
      const now = performance.timeOrigin + performance.now();
      const text = findRegion(${JSON.stringify(region)})?.textContent ?? '';
      for (const [title, resolve] of waiting) {
        if (!text.includes(title)) continue;
        waiting.delete(title);
        arrived.set(title, now);
        resolve(now);
      }
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
    window.__benchAwait = (title) => {
      if (arrived.has(title)) return Promise.resolve(arrived.get(title));
      return new Promise((resolve) => {
        waiting.set(title, resolve);
        setTimeout(() => { if (waiting.delete(title)) resolve(null); }, ${timeoutMs});
      });
    };
  })()`;
}

/** Registers a text to wait for before its command is sent (the evaluation returns at once). */
export function awaitText(title: string): string {
  return `void window.__benchAwait(${JSON.stringify(title)})`;
}

/** The recorded arrival of a text (waits for it, up to the observer's timeout): epoch ms or null. */
export function arrivalOf(title: string): string {
  return `window.__benchAwait(${JSON.stringify(title)})`;
}

/**
 * Clicks the link to `linkPath` (the app's own client-side navigation) and resolves with the milliseconds
 * until every one of `titles` stands in the region (the list rendered, all its rows), and until the
 * response to `listUrl` had arrived (from the browser's resource timing), which splits the wait in two.
 */
export function timedNavigation(
  linkPath: string,
  region: string,
  titles: string[],
  listUrl: string,
  timeoutMs: number,
): string {
  return `new Promise((resolve, reject) => {
    const findRegion = ${FIND_REGION};
    const titles = ${JSON.stringify(titles)};
    const link = [...document.querySelectorAll('a[href]')].find((a) => new URL(a.href).pathname.endsWith(${JSON.stringify(linkPath)}));
    if (!link) return reject(new Error('no link to ${linkPath} on the page'));
    const rendered = () => {
      const text = findRegion(${JSON.stringify(region)})?.textContent;
      return text !== undefined && titles.every((title) => text.includes(title));
    };
    performance.clearResourceTimings();
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (!rendered()) return;
      const renderedMs = performance.now() - started;
      observer.disconnect();
      const response = performance.getEntriesByName(${JSON.stringify(listUrl)}).at(-1);
      resolve({ renderedMs, listResponseMs: response ? response.responseEnd - started : null });
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    setTimeout(() => { observer.disconnect(); reject(new Error('the list was not rendered within ${timeoutMs} ms')); }, ${timeoutMs});
    link.click();
  })`;
}

/** A plain fetch of `url` with the bearer token, its JSON read: the milliseconds it took. */
export function timedFetch(url: string, token: string): string {
  return `(async () => {
    const started = performance.timeOrigin + performance.now();
    const response = await fetch(${JSON.stringify(url)}, { headers: { authorization: ${JSON.stringify(`Bearer ${token}`)} } });
    await response.json();
    if (!response.ok) throw new Error('the fetch answered ' + response.status);
    return performance.timeOrigin + performance.now() - started;
  })()`;
}
