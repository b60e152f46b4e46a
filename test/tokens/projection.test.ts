import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TokenEvent, tokenStream } from '../../src/tokens/events';
import { tokensProjection } from '../../src/tokens/projection';
import { hashToken } from '../../src/tokens/tokens';
import { type Given, projectionSpec } from '../support/givenEvents';

/** A distinct hash per token: the view holds one token per hash. */
const hashOf = (tokenId: string) => hashToken(`secret of ${tokenId}`);
const at = (recordedAt: string, event: TokenEvent): Given => ({
  streamId: tokenStream(event.data.tokenId),
  at: recordedAt,
  ...event,
});
const issued = (tokenId: string, recordedAt = '2026-03-02T09:00:00.000Z') =>
  at(recordedAt, {
    type: 'TokenIssued',
    data: { tokenId, tokenHash: hashOf(tokenId), role: 'delegate', entityId: 'afripol', person: 'Ola Owner' },
  });
const revoked = (tokenId: string, recordedAt: string) => at(recordedAt, { type: 'TokenRevoked', data: { tokenId } });

let spec: Awaited<ReturnType<typeof projectionSpec>>;
beforeEach(async () => {
  spec = await projectionSpec(tokensProjection);
});
afterEach(() => spec.close());

const tokens = () => spec.sqlite.prepare('SELECT * FROM tokens ORDER BY token_id').all();

describe('the tokens projection', () => {
  it('makes an issued token a row: the hash of its secret, role, entity, person and when, not revoked', () => {
    spec.given(
      issued('t1', '2026-03-02T09:00:00.000Z'),
      at('2026-03-03T09:00:00.000Z', {
        type: 'TokenIssued',
        data: { tokenId: 't2', tokenHash: 'b'.repeat(64), role: 'secretariat', entityId: null, person: 'Sam' },
      }),
    );
    expect(tokens()).toEqual([
      {
        token_id: 't1',
        hash: hashOf('t1'),
        role: 'delegate',
        entity_id: 'afripol',
        person: 'Ola Owner',
        issued_at: '2026-03-02T09:00:00.000Z',
        revoked_at: null,
      },
      {
        token_id: 't2',
        hash: 'b'.repeat(64),
        role: 'secretariat',
        entity_id: null,
        person: 'Sam',
        issued_at: '2026-03-03T09:00:00.000Z',
        revoked_at: null,
      },
    ]);
  });

  it('marks a revoked token with the time of its revocation, and only that token', () => {
    spec.given(issued('t1'), issued('t2'), revoked('t1', '2026-03-05T12:00:00.000Z'));
    expect(tokens()).toEqual([
      expect.objectContaining({ token_id: 't1', revoked_at: '2026-03-05T12:00:00.000Z' }),
      expect.objectContaining({ token_id: 't2', revoked_at: null }),
    ]);
  });

  it('moves the view generation with every token event, so that kept actors are read again', () => {
    const { generation } = spec;
    const before = generation.current();
    spec.given(issued('t1'), revoked('t1', '2026-03-05T12:00:00.000Z'));
    expect(generation.current()).toBe(before + 2);
  });
});
