import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DemoFiller, type Person } from '../../../scripts/demo/fill';
import { SYSTEM_ACTOR } from '../../../src/dialogue/reference';
import { createTestApp, TEST_STORE, type TestContext } from '../../support/app';
import { freePort } from '../../support/server';

import { CHROMIUM } from './chromium';

export { hasChromium } from './chromium';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** A real app listening on a loopback port, on the suite's store, as the browser reaches it. */
export interface WebServer {
  t: TestContext;
  url: string;
  close(): Promise<void>;
}

export async function startWebServer(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<WebServer> {
  // The configured port is the one listened on: the OpenAPI document's `servers` and the sign-in links name it.
  const port = await freePort();
  const t = await createTestApp({ ...options, env: { RATE_LIMIT_MAX: '100000', PORT: String(port), ...options.env } });
  await t.app.listen({ host: '127.0.0.1', port });
  return { t, url: `http://127.0.0.1:${port}`, close: () => t.close() };
}

/** Fills the app with the demo Dialogue (the same script as `npm run demo`); its people by entity id or role. */
export function fillDemo(server: WebServer): Promise<Map<string, Person>> {
  return new DemoFiller(server.t.app, server.t.runtime, { ...SYSTEM_ACTOR }, () => undefined).fill();
}

/** A browser context signed in by the sign-in link's way (the token in the fragment), at `pagePath`. */
export async function openAs(
  browser: Browser,
  server: WebServer,
  token: string,
  pagePath = '/app/',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}${pagePath}#token=${encodeURIComponent(token)}`);
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'connected' }).waitFor();
  return { context, page };
}

/** A screenshot of the page as a test artefact (test-artifacts/ is ignored by git), one per store. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const store = TEST_STORE === 'postgres' ? '-postgres' : '';
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}${store}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is. axe is evaluated through the browser's
 * debugging protocol, so the page's Content-Security-Policy stays as strict as users get it.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((violation) => ({
      id: violation.id, impact: violation.impact, help: violation.help,
      nodes: violation.nodes.map((node) => JSON.stringify(node.target)),
    })))`)) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** What a browser test file shares: one server (with the demo's people when asked for) and one browser. */
export interface BrowserSuite {
  readonly server: WebServer;
  readonly browser: Browser;
  /** The demo's people by entity id or role (empty without `demo`). */
  readonly people: Map<string, Person>;
}

/** Starts the file's server and browser before its tests and closes both after them. */
export function browserSuite(options: { demo?: boolean } = {}): BrowserSuite {
  let started: { server: WebServer; browser: Browser; people: Map<string, Person> } | undefined;
  beforeAll(async () => {
    const [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
    started = { server, browser, people: options.demo ? await fillDemo(server) : new Map() };
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.server.close();
  });
  const get = () => {
    if (!started) throw new Error('the browser suite has not started');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    get people() {
      return get().people;
    },
  };
}
