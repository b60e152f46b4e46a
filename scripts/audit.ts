import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ChainVerifier, type VerifyResult, verifyEvents } from '../src/audit/verify';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/eventStore/database';
import { EventReader } from '../src/eventStore/read';
import { StoredEvent } from '../src/eventStore/types';
import { fail, progressLine } from './cli';

const USAGE = `usage:
  npm run --silent audit -- verify [--file log.ndjson]   check the hash chain, positions and stream versions
  npm run --silent audit -- export [--after N] [--until N] > log.ndjson`;

const [command, ...rest] = process.argv.slice(2);
let options;
try {
  options = parseArgs({
    args: rest,
    options: { file: { type: 'string' }, after: { type: 'string' }, until: { type: 'string' } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}

function report(result: VerifyResult): never {
  if (result.ok) {
    process.stdout.write(`ok: ${result.checked} events, head position ${result.head.position} hash ${result.head.hash}\n`);
    process.exit(0);
  }
  process.stdout.write(`broken at position ${result.failure?.position}: ${result.failure?.reason}\n`);
  process.exit(1);
}

async function openLog() {
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: config.BUSY_TIMEOUT_MS });
  return { db, reader: new EventReader(db.sqlite) };
}

async function verifyFile(file: string): Promise<VerifyResult> {
  const verifier = new ChainVerifier();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let event: StoredEvent;
    try {
      event = StoredEvent.parse(JSON.parse(line));
    } catch {
      process.stdout.write(`line ${lineNumber} is not an exported event\n`);
      process.exit(1);
    }
    if (!verifier.push(event)) break;
    if (lineNumber % 10_000 === 0) process.stderr.write(`verify: ${lineNumber} lines\n`);
  }
  return verifier.result();
}

switch (command) {
  case 'verify': {
    if (options.file !== undefined) report(await verifyFile(options.file));
    const { db, reader } = await openLog();
    const head = reader.head().position;
    const started = performance.now();
    const result = verifyEvents(reader.iterate(), (checked) => {
      if (head > 10_000) progressLine('verify', checked, head, performance.now() - started);
    });
    await db.close();
    report(result);
    break;
  }
  case 'export': {
    const { db, reader } = await openLog();
    const after = Number(options.after ?? 0);
    const until = options.until === undefined ? Number.MAX_SAFE_INTEGER : Number(options.until);
    if (!Number.isInteger(after) || !Number.isInteger(until) || after < 0) fail('--after and --until take positions');
    for (const event of reader.iterate(after, until)) {
      if (!process.stdout.write(`${JSON.stringify(event)}\n`)) {
        await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
    }
    await db.close();
    break;
  }
  default:
    fail(USAGE);
}
