import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Checkpoint, checkpointSignatureValid, signCheckpoint, verifyAgainstCheckpoint } from '../src/audit/checkpoint';
import { replayState, resolveAt } from '../src/audit/replay';
import { loadSigningKey, signingKeyFile } from '../src/audit/signing';
import { verificationKey } from './auditKeys';
import { ChainVerifier, type VerifyResult, verifyRows } from '../src/audit/verify';
import { loadConfig } from '../src/config';
import { type DatabaseHandle, openDatabase } from '../src/eventStore/database';
import { isPostgresUrl } from '../src/eventStore/postgres/url';
import { copyPgLog, openPgLog } from './logCopy';
import { EventReader } from '../src/eventStore/read';
import { StoredEvent } from '../src/eventStore/types';
import { PROJECTIONS } from '../src/runtime';
import { errorMessage, fail, progressLine, readInputFile, requireDatabase, requireReadableFile, runCli } from './cli';
import { verifyDeclaration } from './verifyDeclaration';

const USAGE = `usage:
  npm run --silent audit -- verify [--file log.ndjson]   check the hash chain, positions and stream versions
  npm run --silent audit -- verify [--file log.ndjson] --checkpoint cp.json [--public-key key.pem]
                                                         check the checkpoint's signature (key: --public-key,
                                                         else the server's signing-key.pem when found) and
                                                         prove the log still holds the checkpointed prefix
  npm run --silent audit -- export [--after N] [--until N] > log.ndjson
  npm run --silent audit -- checkpoint > cp.json          sign the current head
  npm run --silent audit -- replay --until <position|ISO time> [--group id]
                                                         the views as they were then, as JSON: the groups'
                                                         proposals and action items, and the editions
  npm run --silent audit -- verify-declaration <file.md|file.html> [--public-key key.pem]
                                                         check a downloaded declaration's hash and signature
                                                         (key: --public-key, else the server's signing-key.pem)`;

const [command, ...rest] = process.argv.slice(2);
function parseOptions() {
  try {
    return parseArgs({
      args: rest,
      options: {
        file: { type: 'string' },
        after: { type: 'string' },
        until: { type: 'string' },
        checkpoint: { type: 'string' },
        'public-key': { type: 'string' },
        group: { type: 'string' },
      },
      strict: true,
      allowPositionals: command === 'verify-declaration',
    });
  } catch (error) {
    fail(`${errorMessage(error)}\n${USAGE}`);
  }
}
const { values: options, positionals } = parseOptions();

function report(result: VerifyResult): never {
  if (result.ok) {
    process.stdout.write(
      `ok: ${result.checked} events, head position ${result.head.position} hash ${result.head.hash}\n`,
    );
    process.exit(0);
  }
  process.stdout.write(`broken at position ${result.failure?.position}: ${result.failure?.reason}\n`);
  process.exit(1);
}

/** The log to read: the SQLite database, or a copy of the PostgreSQL log up to its head (./logCopy.ts). */
async function openLog(): Promise<{ db: Pick<DatabaseHandle, 'sqlite' | 'close'>; reader: EventReader }> {
  const config = loadConfig();
  if (isPostgresUrl(config.DATABASE_URL)) {
    const remote = await openPgLog(config);
    try {
      const copy = await copyPgLog(remote, 'audit', (position, reason) => {
        process.stdout.write(`broken at position ${position}: ${reason}\n`);
        process.exit(1);
      });
      return { db: { sqlite: copy.db.sqlite, close: copy.close }, reader: new EventReader(copy.db.sqlite) };
    } finally {
      await remote.close();
    }
  }
  requireDatabase('audit', config.DATABASE_URL);
  const db = await openDatabase({ url: config.DATABASE_URL, busyTimeoutMs: config.BUSY_TIMEOUT_MS });
  return { db, reader: new EventReader(db.sqlite) };
}

/** Events of the exported file, parsed line by line (a bad line ends the run with its number). */
async function* fileEvents(file: string): AsyncGenerator<StoredEvent> {
  requireReadableFile('audit', file, 'the export');
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    try {
      yield StoredEvent.parse(JSON.parse(line));
    } catch {
      process.stdout.write(`line ${lineNumber} is not an exported event\n`);
      process.exit(1);
    }
  }
}

/** Checks a checkpoint's signature, then that the log (or the export) still holds its prefix. */
async function verifyCheckpoint(checkpointFile: string): Promise<never> {
  const text = readInputFile('audit', checkpointFile, 'the checkpoint');
  let checkpoint: Checkpoint;
  try {
    checkpoint = Checkpoint.parse(JSON.parse(text));
  } catch {
    fail(`audit: ${checkpointFile} is not a checkpoint ({position, hash, recordedAt, signature})`);
  }
  const key = verificationKey(
    options['public-key'],
    "the checkpoint's signature",
    'npm run --silent audit -- verify --checkpoint cp.json [--file log.ndjson] --public-key key.pem',
  );
  if (!checkpointSignatureValid(checkpoint, key.publicKeyPem)) {
    process.stdout.write(`the checkpoint's signature does not verify with ${key.source}\n`);
    process.exit(1);
  }
  let check: Awaited<ReturnType<typeof verifyAgainstCheckpoint>>;
  if (options.file !== undefined) {
    check = await verifyAgainstCheckpoint(fileEvents(options.file), checkpoint);
  } else {
    const { db, reader } = await openLog();
    check = await verifyAgainstCheckpoint(reader.iterateRows(0, checkpoint.position), checkpoint);
    await db.close();
  }
  if (!check.ok) {
    process.stdout.write(`checkpoint ${checkpoint.position} not held: ${check.reason}\n`);
    process.exit(1);
  }
  const holder = options.file === undefined ? 'the log' : `the export ${options.file}`;
  process.stdout.write(
    `ok: the checkpoint's signature verifies with ${key.source}, and ${holder} holds checkpoint ${checkpoint.position} (hash ${checkpoint.hash}) unchanged\n`,
  );
  process.exit(0);
}

/**
 * An export from the genesis is checked whole. A partial one (`--after N`) can only be checked from its
 * first event's own prev_hash on, without stream versions: that is said on stderr, since it proves the
 * range is intact, not what came before it.
 */
async function verifyFile(file: string): Promise<VerifyResult> {
  let verifier: ChainVerifier | undefined;
  let count = 0;
  for await (const event of fileEvents(file)) {
    if (!verifier) {
      const partial = event.position > 1;
      if (partial)
        process.stderr.write(`verify: the file starts at position ${event.position}; checking that range only\n`);
      verifier = partial
        ? new ChainVerifier({ position: event.position - 1, hash: event.prevHash }, false)
        : new ChainVerifier();
    }
    if (!verifier.push(event)) break;
    count += 1;
    if (count % 10_000 === 0) process.stderr.write(`verify: ${count} events\n`);
  }
  return (verifier ?? new ChainVerifier()).result();
}

/** Writes the log (or `--after`/`--until` a range of it) as NDJSON, one event per line, on stdout. */
async function exportLog(): Promise<void> {
  const { db, reader } = await openLog();
  const after = Number(options.after ?? 0);
  const until = options.until === undefined ? Number.MAX_SAFE_INTEGER : Number(options.until);
  if (!Number.isInteger(after) || !Number.isInteger(until) || after < 0) fail('--after and --until take positions');
  const last = Math.min(until, reader.head().position);
  const total = Math.max(0, last - after);
  const started = performance.now();
  let written = 0;
  for (const event of reader.iterate(after, until)) {
    if (!process.stdout.write(`${JSON.stringify(event)}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
    written += 1;
    if (total > 10_000 && written % 10_000 === 0) progressLine('export', written, total, performance.now() - started);
  }
  await db.close();
}

runCli('audit', async () => {
  switch (command) {
    case 'verify': {
      if (options.checkpoint !== undefined) await verifyCheckpoint(options.checkpoint);
      if (options.file !== undefined) report(await verifyFile(options.file));
      const { db, reader } = await openLog();
      const head = reader.head().position;
      const started = performance.now();
      const result = verifyRows(reader.iterateRows(), (checked) => {
        if (head > 10_000) progressLine('verify', checked, head, performance.now() - started);
      });
      await db.close();
      report(result);
      break;
    }
    case 'export':
      await exportLog();
      break;
    case 'checkpoint': {
      const config = loadConfig();
      if (isPostgresUrl(config.DATABASE_URL) && !config.SIGNING_KEY_FILE)
        fail('audit: with PostgreSQL, set SIGNING_KEY_FILE to the key the servers sign with');
      const { db, reader } = await openLog();
      const checkpoint = signCheckpoint(
        reader,
        loadSigningKey(signingKeyFile(config.DATABASE_URL, config.SIGNING_KEY_FILE)),
      );
      await db.close();
      process.stdout.write(`${JSON.stringify(checkpoint, null, 2)}\n`);
      break;
    }
    case 'replay': {
      if (options.until === undefined) fail(`replay needs --until <position|ISO time>\n${USAGE}`);
      const { db, reader } = await openLog();
      let until: number;
      try {
        until = Math.min(resolveAt(db.sqlite, options.until), reader.head().position);
      } catch {
        fail(`--until takes a position or an ISO time, not '${options.until}'`);
      }
      const groups = options.group === undefined ? ['strategic', 'operational'] : [options.group];
      const started = performance.now();
      const state = await replayState(reader, PROJECTIONS, until, groups, (position) => {
        if (until > 10_000) progressLine('replay', position, until, performance.now() - started);
      });
      await db.close();
      process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
      break;
    }
    case 'verify-declaration': {
      const file = positionals[0];
      if (file === undefined || positionals.length > 1) fail(`verify-declaration takes one file\n${USAGE}`);
      verifyDeclaration(file, options['public-key']);
      break;
    }
    default:
      fail(USAGE);
  }
});
