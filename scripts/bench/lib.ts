import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One line of bench/results.json (issue 7). `value: null` with a `note` when it could not be measured. */
export interface Figure {
  name: string;
  unit: string;
  value: number | null;
  baseline: { name: string; value: number | null };
  higherIsBetter: boolean;
  bar: number;
  /** Reported for information, with no bar (the table says so instead of pass or MISSED). */
  informational?: boolean;
  note?: string;
  /** Raw measurements behind the figure (latency percentiles, errors, peak RSS...). */
  details?: Record<string, unknown>;
}

/** What a scenario process hands back to the runner. */
export interface ScenarioResult {
  figures: Figure[];
  /** Values other scenarios' figures need (the peer's append rate for `http-vs-peer`). */
  shared?: Record<string, number>;
}

export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)));
export const ROOT = path.resolve(BENCH_DIR, '../..');
/** Generated logs are kept here between runs (git ignores *.sqlite). */
export const DATA_DIR = path.join(ROOT, 'bench', 'data');

export interface BenchArgs {
  quick: boolean;
  /** File the scenario writes its ScenarioResult to. */
  out: string | undefined;
  rest: string[];
}

export function benchArgs(argv = process.argv.slice(2)): BenchArgs {
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const isOut = (index: number) => outIndex >= 0 && (index === outIndex || index === outIndex + 1);
  return { quick, out, rest: argv.filter((arg, index) => arg !== '--quick' && !isOut(index)) };
}

export function writeResult(out: string | undefined, result: ScenarioResult): void {
  const text = JSON.stringify(result);
  if (out) writeFileSync(out, text);
  else process.stdout.write(`${text}\n`);
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A fresh scratch directory for one scenario's database files. */
export function scratchDir(name: string): string {
  const dir = path.join(DATA_DIR, 'tmp', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Nearest-rank percentile of unsorted samples (the array is sorted in place). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  const rank = Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1));
  return samples[rank] ?? Number.NaN;
}

/** The middle value; with an even count, the mean of the two middle ones (of two rounds: their mean). */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Extra Node options for every child process, e.g. BENCH_CHILD_ARGS="--cpu-prof --cpu-prof-dir=prof". */
function childArgs(): string[] {
  return (process.env.BENCH_CHILD_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

/**
 * Runs a TypeScript file of this folder (or scripts/) in its own Node process under tsx and returns what it
 * wrote to its --out file. Its stderr goes to ours (progress lines); a non-zero exit is an error.
 */
export async function runTs<T>(
  file: string,
  args: string[],
  options: { nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<T> {
  const out = path.join(DATA_DIR, 'tmp', `out-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const child = spawn(
    process.execPath,
    [...childArgs(), ...(options.nodeArgs ?? []), '--import', 'tsx', file, ...args, '--out', out],
    {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, ...options.env },
    },
  );
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => resolve(signal ? -1 : exitCode));
  });
  if (timer) clearTimeout(timer);
  if (code !== 0) throw new Error(`${path.basename(file)} exited with ${code}`);
  try {
    return JSON.parse(readFileSync(out, 'utf8')) as T;
  } finally {
    rmSync(out, { force: true });
  }
}

/** Starts a TypeScript file under tsx with an IPC channel (for load processes the scenario talks to). */
export function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [...childArgs(), '--import', 'tsx', file, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2, 'ipc'],
  });
}

/** The next IPC message of a child, or an error if it exits first. */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`load process exited with ${code}`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
