/**
 * The web page's figures (issue 20), with Debian's Chromium driven by playwright-core against our server in
 * another process (webServer.ts):
 * - web-live-vs-ws (webLive.ts): p95 from sending a submission to its title in another member's page (the
 *   region "Proposals" of /app/groups/strategic), vs p95 from sending the same command to the event reaching
 *   a plain `ws` client subscribed to the same topic; same commands, one at a time.
 * - web-list-1000-vs-fetch (webList.ts): the click on the group's "Proposals" link of /app/ until the first
 *   page of a group of 1,000 proposals stands in the region, vs a plain fetch of the same list JSON from the
 *   same page; medians.
 * - web-js-gzip-kb: the page's script, gzipped, vs a 150 KB budget.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM, hasChromium } from '../../test/web/browser/chromium';
import { launchBrowser } from '../../test/web/browser/support';
import { webBundle } from '../../src/web/server/bundle';
import {
  BENCH_DIR,
  benchArgs,
  describeError,
  log,
  nextMessage,
  removeDir,
  round,
  scratchDir,
  spawnTs,
  writeResult,
  type Figure,
} from './lib';
import { listFigure, measureList, type ListRun } from './webList';
import { liveFigure, measureLive, type Delivery } from './webLive';
import type { Server } from './webPage';

const args = benchArgs();
const COMMANDS = args.quick ? 15 : 60;
const LIST_ROUNDS = args.quick ? 3 : 9;
const dir = scratchDir('web');

interface Measured {
  live?: Delivery[];
  list?: ListRun;
  liveFailure?: string;
  listFailure?: string;
}

async function measureInBrowser(): Promise<Measured> {
  if (!hasChromium) {
    const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    return { liveFailure: reason, listFailure: reason };
  }
  const child = spawnTs(path.join(BENCH_DIR, 'webServer.ts'), [dir]);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const result: Measured = {};
  let browser: Browser | undefined;
  try {
    const server = await nextMessage<Server>(child);
    browser = await launchBrowser();
    const [viewer, author] = server.tokens;
    if (!viewer || !author) throw new Error('no tokens');
    try {
      result.live = await measureLive(browser, server, viewer, author, COMMANDS);
    } catch (error) {
      result.liveFailure = describeError(error);
    }
    try {
      result.list = await measureList(browser, server, viewer, LIST_ROUNDS);
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
let measured: Measured;
try {
  measured = await measureInBrowser();
} catch (error) {
  measured = { liveFailure: describeError(error), listFailure: describeError(error) };
} finally {
  removeDir(dir);
}
if (measured.liveFailure) log(`web live: not measured: ${measured.liveFailure}`);
if (measured.listFailure) log(`web list: not measured: ${measured.listFailure}`);

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
writeResult(args.out, {
  figures: [
    liveFigure(measured.live ?? [], COMMANDS, measured.liveFailure),
    listFigure(measured.list, LIST_ROUNDS, measured.listFailure),
    gzipFigure,
  ],
});
