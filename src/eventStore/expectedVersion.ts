import { VersionConflict } from '../errors';
import type { ExpectedVersion } from './types';

/** Every expected-version mode, checked against the stream's current version (0: no stream). */
export function checkExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && actual === 0) ||
    (expected === 'exists' && actual > 0) ||
    (typeof expected === 'number' && expected === actual);
  if (!ok) throw new VersionConflict(streamId, expected, actual);
}
