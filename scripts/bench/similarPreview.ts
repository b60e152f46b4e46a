/**
 * The similar-proposals preview on a group of some hundreds of proposals (not one of the suite's figures):
 * `tsx scripts/bench/similarPreview.ts [--proposals N] [--repeat N]`. Fills a database file through the
 * HTTP API (N proposals in `strategic`, half as many in `operational`, a tenth members-only, a comment on
 * every third), then times, through `inject`, `GET /groups/strategic/proposals/similar` (what the web page
 * calls while a user types) beside the proposal list and its full-text search, in ms (median, p95, slowest).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig, systemClock } from '../../src/config';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { openRuntime } from '../../src/runtime';
import { issueToken } from '../../src/tokens/tokens';
import { log, median, percentile, removeDir, round, scratchDir } from './lib';

const { values } = parseArgs({
  options: { proposals: { type: 'string', default: '400' }, repeat: { type: 'string', default: '200' } },
  strict: true,
});
const proposals = Number(values.proposals);
const repeat = Number(values.repeat);

/** Words of the Dialogue's subjects: each generated text draws a few, so that they overlap as real ones do. */
const WORDS =
  `cybercrime ransomware threat assessment border passenger records firearms tracing ballistic piracy maritime
  patrol drug precursor diversion ports missing persons notices children wildlife trafficking ivory timber liaison
  officers training analysts open sources alert format regional exchange quarterly data interoperability standards
  architecture frontline access platform plans single node capacity building forensic laboratory counterfeit
  medicines trafficking migrants smuggling corruption asset recovery financial intelligence terrorism financing`.split(
    /\s+/,
  );

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const words = (count: number) =>
  Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');

const dir = scratchDir('similar-preview');
const config = loadConfig({
  DATABASE_URL: path.join(dir, 'dialogue.sqlite'),
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX: '100000000',
});
const runtime = await openRuntime(config, systemClock);
const app = await buildApp({ runtime, config, logger: false });
try {
  await app.ready();
  const { token } = await issueToken(
    runtime.store,
    runtime.directory,
    { role: 'delegate', entityId: 'europol', person: 'bench' },
    { ...SYSTEM_ACTOR },
    'bench',
  );
  const headers = { authorization: `Bearer ${token}` };
  const request = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  for (const [groupId, count] of [
    ['strategic', proposals],
    ['operational', Math.round(proposals / 2)],
  ] as const) {
    for (let i = 0; i < count; i += 1) {
      const visibility = i % 10 === 0 ? 'members' : 'dialogue';
      const { id } = (
        await request('POST', `/groups/${groupId}/proposals`, { title: words(4), body: words(60), visibility })
      ).json() as { id: string };
      if (i % 3 === 0) await request('POST', `/proposals/${id}/comments`, { body: words(30) });
    }
  }
  runtime.search.catchUp();
  const title = 'Regional ransomware threat assessment';
  const body =
    'A quarterly exchange of ransomware threat assessments between regional platforms, with a common alert format.';
  const time = async (url: string) => {
    const samples: number[] = [];
    for (let i = 0; i < repeat; i += 1) {
      const started = performance.now();
      await request('GET', url);
      samples.push(performance.now() - started);
    }
    return {
      medianMs: round(median(samples), 3),
      p95Ms: round(percentile(samples, 95), 3),
      maxMs: round(Math.max(...samples), 3),
    };
  };
  const rows = {
    'similar preview': await time(
      `/groups/strategic/proposals/similar?${new URLSearchParams({ title, body }).toString()}`,
    ),
    'list (first 50)': await time('/groups/strategic/proposals'),
    'list q=ransomware threat': await time('/groups/strategic/proposals?q=ransomware%20threat'),
  };
  for (const [name, row] of Object.entries(rows)) log(`similar-preview ${name}: ${JSON.stringify(row)}`);
  process.stdout.write(
    `${JSON.stringify({ proposals: { strategic: proposals, operational: Math.round(proposals / 2) }, head: runtime.store.reader.head().position, rows }, null, 2)}\n`,
  );
} finally {
  await app.close();
  await runtime.close();
  removeDir(dir);
}
