/**
 * Generates a large, valid event log for benchmarks: `tsx scripts/generate-log.ts --events 1000000
 * --file bench/data/log.sqlite [--groups strategic,operational] [--per-proposal 50]`.
 *
 * Every event goes through the real EventStore (migrations, hash chain, stream versions, inline
 * projections), many appends per group commit, so the file is exactly what the service would have written:
 * `npm run audit -- verify` passes on it and a rebuild folds it like any other log.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../src/config';
import type { AppendRequest } from '../src/eventStore/types';
import { openRuntime } from '../src/runtime';
import {
  commentAdded,
  delegateMetadata,
  authorOf,
  proposalId,
  proposalStream,
  proposalSubmitted,
} from './bench/domain';

export interface GenerateOptions {
  file: string;
  /** Events to add on top of the seed (reference data). */
  events: number;
  groups?: readonly string[];
  /** Events per proposal: its submission and then comments. */
  perProposal?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Appends in flight at once: the store commits up to 512 per transaction. */
const IN_FLIGHT = 2048;

export async function generateLog(options: GenerateOptions): Promise<{ head: number; elapsedMs: number }> {
  const groups = options.groups ?? ['strategic', 'operational'];
  const perProposal = Math.max(1, options.perProposal ?? 50);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${options.file}${suffix}`, { force: true });
  // Recorded times advance one second per event from a fixed start, so that two generations of the same
  // size differ only in ids (and hashes).
  let tick = Date.parse('2024-01-01T00:00:00.000Z');
  const clock: Clock = () => {
    tick += 1000;
    return new Date(tick);
  };
  const runtime = await openRuntime(
    { DATABASE_URL: options.file, SQLITE_SYNCHRONOUS: 'NORMAL', BUSY_TIMEOUT_MS: 5000 },
    clock,
  );
  const started = performance.now();
  try {
    const proposals = Math.ceil(options.events / perProposal);
    // Proposals are opened in waves, then commented round-robin: neighbouring events belong to different
    // streams, as in a busy plenary, rather than one stream after another.
    const wave = Math.min(proposals, 200);
    const pool: { index: number; version: number }[] = [];
    let written = 0;
    let nextProposal = 0;
    let sequence = 0;
    const requestFor = (): AppendRequest => {
      if ((pool.length < wave && nextProposal < proposals) || pool.length === 0) {
        const index = nextProposal++;
        pool.push({ index, version: 1 });
        return {
          streamId: proposalStream(proposalId(index)),
          expectedVersion: 'no-stream',
          events: [proposalSubmitted(index, groups[index % groups.length] ?? 'strategic')],
          metadata: delegateMetadata(authorOf(index), `gen-${written}`),
        };
      }
      const slot = sequence++ % pool.length;
      const open = pool[slot] ?? { index: 0, version: 1 };
      const event = commentAdded(open.index, groups[open.index % groups.length] ?? 'strategic', open.version);
      const request: AppendRequest = {
        streamId: proposalStream(proposalId(open.index)),
        expectedVersion: open.version,
        events: [event],
        metadata: delegateMetadata(String(event.data.entityId), `gen-${written}`),
      };
      open.version += 1;
      if (open.version >= perProposal) pool.splice(slot, 1);
      return request;
    };
    while (written < options.events) {
      const batch: Promise<unknown>[] = [];
      const count = Math.min(IN_FLIGHT, options.events - written);
      for (let i = 0; i < count; i += 1) {
        batch.push(runtime.store.append(requestFor()));
        written += 1;
      }
      await Promise.all(batch);
      options.onProgress?.(written, options.events);
    }
    runtime.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { head: runtime.store.reader.head().position, elapsedMs: performance.now() - started };
  } finally {
    await runtime.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      file: { type: 'string', default: 'bench/data/log.sqlite' },
      groups: { type: 'string', default: 'strategic,operational' },
      'per-proposal': { type: 'string', default: '50' },
      force: { type: 'boolean', default: false },
      /** Also write the summary as JSON to this file (the benchmark runner reads it). */
      out: { type: 'string' },
    },
    strict: true,
  });
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 1) throw new Error('--events must be a positive integer');
  if (existsSync(values.file) && !values.force) {
    process.stderr.write(`${values.file} exists: give --force to replace it\n`);
    process.exit(2);
  }
  let last = 0;
  const result = await generateLog({
    file: values.file,
    events,
    groups: values.groups.split(',').filter((group) => group !== ''),
    perProposal: Number(values['per-proposal']),
    onProgress: (done, total) => {
      if (done - last >= 100_000 || done === total) {
        last = done;
        process.stderr.write(`generate-log: ${done}/${total} events\n`);
      }
    },
  });
  if (values.out) writeFileSync(values.out, JSON.stringify({ events, ...result }));
  process.stdout.write(`${values.file}: head ${result.head}, ${events} events in ${Math.round(result.elapsedMs)} ms\n`);
}
