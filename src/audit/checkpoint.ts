import { createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { canonicalJson } from '../eventStore/hash';
import type { EventReader, EventRow } from '../eventStore/read';
import { type StoredEvent, Timestamp } from '../eventStore/types';
import type { SigningKey } from './signing';
import { ChainVerifier } from './verify';

/** A signed statement "the log's event at `position` has hash `hash`": the whole prefix, by the chain. */
export const Checkpoint = z
  .object({
    position: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    recordedAt: Timestamp,
    signature: z.string().describe('Ed25519 signature (base64) of the canonical JSON of {position, hash, recordedAt}'),
  })
  .meta({ id: 'Checkpoint' });
export type Checkpoint = z.infer<typeof Checkpoint>;

const signedPart = (checkpoint: Omit<Checkpoint, 'signature'>) =>
  Buffer.from(
    canonicalJson({ position: checkpoint.position, hash: checkpoint.hash, recordedAt: checkpoint.recordedAt }),
  );

/** Signs the log's head as it is now. An empty log is checkpoint 0 with the genesis hash. */
export function signCheckpoint(reader: EventReader, key: SigningKey): Checkpoint {
  const head = reader.head();
  const [event] = head.position === 0 ? [] : [...reader.iterate(head.position - 1, head.position)];
  const unsigned = {
    position: head.position,
    hash: head.hash,
    recordedAt: event?.recordedAt ?? new Date(0).toISOString(),
  };
  return { ...unsigned, signature: sign(null, signedPart(unsigned), key.privateKey).toString('base64') };
}

export function checkpointSignatureValid(checkpoint: Checkpoint, publicKeyPem: string): boolean {
  try {
    return verify(
      null,
      signedPart(checkpoint),
      createPublicKey(publicKeyPem),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

export interface CheckpointCheck {
  ok: boolean;
  reason?: string;
  /** The position the check failed at, when it names one. */
  position?: number;
}

/**
 * Proves that a log still holds a checkpointed prefix unchanged: the chain verifies from the genesis up to
 * the checkpoint and the event there has the checkpoint's hash. A cut tail (the log ends before it), a
 * rewritten past (the chain breaks) and a recomputed chain (it verifies, but to another hash) all fail.
 */
export async function verifyAgainstCheckpoint(
  events: Iterable<StoredEvent | EventRow> | AsyncIterable<StoredEvent | EventRow>,
  checkpoint: Checkpoint,
): Promise<CheckpointCheck> {
  const verifier = new ChainVerifier();
  for await (const event of events) {
    if (event.position > checkpoint.position) break;
    if (!('stream_id' in event ? verifier.pushRow(event) : verifier.push(event))) {
      const failure = verifier.failure;
      return {
        ok: false,
        reason: `the chain is broken at position ${failure?.position}: ${failure?.reason}`,
        ...(failure ? { position: failure.position } : {}),
      };
    }
  }
  const head = verifier.result().head;
  if (head.position < checkpoint.position) {
    return {
      ok: false,
      reason: `the log ends at position ${head.position}, before the checkpoint's ${checkpoint.position}: its tail was cut`,
      position: head.position + 1,
    };
  }
  if (head.hash !== checkpoint.hash) {
    return {
      ok: false,
      reason: `the hash at position ${checkpoint.position} differs from the checkpoint's: the chain was rewritten and recomputed`,
      position: checkpoint.position,
    };
  }
  return { ok: true };
}

/** The checkpoint a directory's `latest.json` holds, or undefined if there is none (or it is unreadable). */
export function readLatestCheckpoint(directory: string): Checkpoint | undefined {
  const file = path.join(directory, 'latest.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed = Checkpoint.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a checkpoint file, never over another: if a checkpoint for the same position exists with another
 * hash, the log has diverged from what was signed (a restore, a cut tail) and that evidence is kept, not
 * replaced. `latest.json` only moves forward. Files are written whole and renamed into place.
 */
export function writeCheckpointFile(directory: string, checkpoint: Checkpoint): string {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `checkpoint-${String(checkpoint.position).padStart(12, '0')}.json`);
  const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
  if (existsSync(file)) {
    const kept = Checkpoint.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!kept.success || kept.data.hash !== checkpoint.hash) {
      throw new Error(
        `${file} holds another hash for position ${checkpoint.position}: the log diverged from a signed checkpoint; the file is kept`,
      );
    }
  } else {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
  const latest = readLatestCheckpoint(directory);
  if (latest && latest.position > checkpoint.position) {
    throw new Error(
      `latest.json is at position ${latest.position}, beyond the log's ${checkpoint.position}: the log went backwards; latest.json is kept`,
    );
  }
  const latestFile = path.join(directory, 'latest.json');
  writeFileSync(`${latestFile}.tmp`, text);
  renameSync(`${latestFile}.tmp`, latestFile);
  return file;
}
