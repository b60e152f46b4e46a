import { parseArgs } from 'node:util';
import { median, round } from './lib';

/** The searches search.ts (SQLite) and pgSearch.ts (PostgreSQL) time, on the same generated log. */

/** `--quick` (100,000 events), `--events N` (else 1,000,000), `--repeat N` (15): each query's runs. */
export function searchArgs(): { events: number; repeat: number } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      events: { type: 'string' },
      repeat: { type: 'string', default: '15' },
    },
    strict: true,
  });
  return { events: Number(values.events ?? (values.quick ? 100_000 : 1_000_000)), repeat: Number(values.repeat) };
}

/** Every generated title holds "format" and "notices", every comment "format" and "review", one title "1234". */
export const QUERIES = ['format', 'review months', 'notices draft', '1234', 'sargassum'];

/** The new text whose similar proposals are timed. */
export const SIMILAR_TEXT = {
  title: 'Shared alert format for regional notices',
  body: 'Exchange alerts in one structured format.',
};

/** A query run `repeat` times: its median and slowest, in ms, and how many results it gave. */
export async function timed(
  repeat: number,
  run: () => unknown[] | Promise<unknown[]>,
): Promise<{ medianMs: number; maxMs: number; results: number }> {
  const samples: number[] = [];
  let size = 0;
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    size = (await run()).length;
    samples.push(performance.now() - started);
  }
  return { medianMs: round(median(samples), 2), maxMs: round(Math.max(...samples), 2), results: size };
}
