import { createHash, hash as oneShotHash } from 'node:crypto';
import type { StoredEvent } from './types';

/** prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no whitespace: the form the chain hashes,
 * so that any reader in any language can recompute it from an exported event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const encoded = JSON.stringify(value);
    return encoded === undefined ? 'null' : encoded;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export type HashedFields = Omit<StoredEvent, 'prevHash' | 'hash'>;

/** hash = sha256(prev_hash + canonical JSON of the event without its two hash fields). */
export function eventHash(prevHash: string, event: HashedFields): string {
  const { position, id, streamId, version, type, data, metadata, recordedAt } = event;
  return sha256Hex(prevHash + canonicalJson({ position, id, streamId, version, type, data, metadata, recordedAt }));
}

/**
 * `eventHash` specialised for the store's append, a hot path (docs/performance.md). The top-level keys are
 * fixed, so they are written in their canonical (sorted) order without sorting, the metadata's canonical form is computed once per append, and sha256 is one-shot. It
 * must stay byte-identical to `eventHash`: the store tests and `audit verify` recompute every hash with it.
 */
export function chainHash(prevHash: string, event: StoredEvent, metadataCanonical: string): string {
  const text =
    `${prevHash}{"data":${canonicalJson(event.data)},"id":${JSON.stringify(event.id)},"metadata":${metadataCanonical},` +
    `"position":${JSON.stringify(event.position)},"recordedAt":${JSON.stringify(event.recordedAt)},` +
    `"streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)},"version":${JSON.stringify(event.version)}}`;
  return oneShotHash('sha256', text, 'hex');
}
