import type { EventReader } from '../src/eventStore/read';
import { TokenIssued, TokenRevoked, tokenStream } from '../src/tokens/events';

/** A token revoked in the live log after the backup's head, which the backup holds as valid. */
export interface RevivedToken {
  tokenId: string;
  person: string;
  role: string;
  entityId: string | null;
  revokedAt: string;
}

/**
 * Tokens the restore brings back to life: revoked in the live log after the backup's head, issued and not
 * revoked in the backup. (A token issued after the backup's head does not exist once it is restored.)
 */
export function revivedTokens(backup: EventReader, live: EventReader): RevivedToken[] {
  const revived: RevivedToken[] = [];
  for (const event of live.iterate(backup.head().position)) {
    if (event.type !== 'TokenRevoked') continue;
    const { tokenId } = TokenRevoked.shape.data.parse(event.data);
    const stream = backup.readStream(tokenStream(tokenId));
    const issued = stream.find((kept) => kept.type === 'TokenIssued');
    if (!issued || stream.some((kept) => kept.type === 'TokenRevoked')) continue;
    const { person, role, entityId } = TokenIssued.shape.data.parse(issued.data);
    revived.push({ tokenId, person, role, entityId, revokedAt: event.recordedAt });
  }
  return revived;
}

/** What the restore takes back from the live log, and whether the backup is a prefix of it, as lines. */
export function compareWithLive(backup: EventReader, live: EventReader): string[] {
  const ours = backup.head();
  const theirs = live.head();
  const lines = [`the live log ends at position ${theirs.position}, the backup at position ${ours.position}`];
  if (theirs.position > ours.position) {
    lines.push(
      `the restore takes back ${theirs.position - ours.position} events of the live log (positions ${ours.position + 1}-${theirs.position})`,
    );
  } else {
    lines.push('the restore takes back no event of the live log by position');
  }
  const common = Math.min(ours.position, theirs.position);
  if (common > 0) {
    const [liveRow] = [...live.iterateRows(common - 1, common)];
    const [backupRow] = [...backup.iterateRows(common - 1, common)];
    const shorter =
      theirs.position < ours.position
        ? 'the live log is a prefix of the backup'
        : 'the backup is a prefix of the live log';
    lines.push(
      liveRow?.hash === backupRow?.hash
        ? `${shorter} (the same hash at position ${common})`
        : `the backup is NOT a prefix of the live log: position ${common} has another hash in each, they hold different histories`,
    );
  }
  const revived = revivedTokens(backup, live);
  if (revived.length === 0) {
    lines.push('no token revoked after the backup comes back to life');
    return lines;
  }
  const [count, verb] = revived.length === 1 ? ['1 token', 'comes'] : [`${revived.length} tokens`, 'come'];
  lines.push(`${count} revoked after the backup ${verb} back to life with it; revoke them again once it is restored:`);
  for (const token of revived) {
    const who = `${token.person} (${token.role}${token.entityId ? ` of ${token.entityId}` : ''})`;
    lines.push(
      `  ${token.tokenId}  ${who}, revoked ${token.revokedAt}:  npm run --silent token -- --revoke ${token.tokenId}`,
    );
  }
  return lines;
}
