import { type Checkpoint, checkpointSignatureValid } from './audit/checkpoint';
import { ChainVerifier } from './audit/verify';
import type { DatabaseSettings } from './eventStore/database';
import { GENESIS_HASH } from './eventStore/hash';
import type { EventReader } from './eventStore/read';

/** How many of the log's last events are re-hashed at every start. */
export const TAIL_CHECKED = 1_000;

/**
 * Why these settings would acknowledge writes that a power cut can lose, or null if they are durable.
 * `NORMAL` is accepted only when the operator asked for it explicitly (SQLITE_SYNCHRONOUS set).
 */
export function durabilityProblem(
  settings: DatabaseSettings,
  inMemory: boolean,
  synchronousExplicit: boolean,
): string | null {
  if (inMemory) return null;
  if (settings.journalMode !== 'wal') {
    return `the database is in journal mode '${settings.journalMode}', not WAL (is the file on a filesystem without shared memory?)`;
  }
  if (settings.synchronous !== 'FULL' && settings.synchronous !== 'EXTRA' && !synchronousExplicit) {
    return `synchronous is ${settings.synchronous}, not FULL; set SQLITE_SYNCHRONOUS=${settings.synchronous} to accept writes that a power cut may lose`;
  }
  return null;
}

/**
 * Re-hashes the last events of the log, trusting the hash stored just before them: a start on a log whose
 * recent history was changed under the server stops here instead of extending a broken chain.
 */
export function chainTailProblem(reader: EventReader, count = TAIL_CHECKED): string | null {
  const head = reader.head();
  const from = Math.max(0, head.position - count);
  const [anchor] = from === 0 ? [] : [...reader.iterateRows(from - 1, from)];
  if (from > 0 && !anchor) return `event ${from} is missing from the log`;
  const verifier = new ChainVerifier({ position: from, hash: anchor?.hash ?? GENESIS_HASH }, false);
  for (const row of reader.iterateRows(from)) {
    if (!verifier.pushRow(row)) {
      const failure = verifier.failure;
      return `the event log's hash chain does not verify at position ${failure?.position}: ${failure?.reason}`;
    }
  }
  return null;
}

/**
 * The log must still hold the last checkpoint this server signed (`latest.json` in the checkpoint folder):
 * a log that ends before it, or differs at its position, was cut or replaced by an older copy, and the
 * server will not write new history over it. (After a deliberate restore, move the checkpoint folder aside.)
 */
export function checkpointProblem(
  reader: EventReader,
  latest: Checkpoint | undefined,
  publicKeyPem: string,
): string | null {
  if (!latest || latest.position === 0) return null;
  if (!checkpointSignatureValid(latest, publicKeyPem)) {
    return `the latest checkpoint file's signature does not verify with this server's key`;
  }
  return checkpointNotHeld(reader, latest);
}

/** Why a log does not hold a checkpoint (it ends before it, or has another hash there), or null if it does. */
export function checkpointNotHeld(reader: EventReader, checkpoint: Checkpoint): string | null {
  if (checkpoint.position === 0) return null;
  const head = reader.head();
  if (head.position < checkpoint.position) {
    return `the log ends at position ${head.position}, before the signed checkpoint at position ${checkpoint.position}: its tail was cut or an older copy restored`;
  }
  const [row] = [...reader.iterateRows(checkpoint.position - 1, checkpoint.position)];
  if (row?.hash !== checkpoint.hash) {
    return `the event at position ${checkpoint.position} differs from the signed checkpoint: the log was rewritten`;
  }
  return null;
}
