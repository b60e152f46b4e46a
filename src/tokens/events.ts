import { z } from 'zod';
import { Role } from '../eventStore/types';

/** A bearer token was issued. Only the sha256 of the secret is recorded, never the secret. */
export const TokenIssued = z.strictObject({
  type: z.literal('TokenIssued'),
  data: z.strictObject({
    tokenId: z.string(),
    tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
    role: Role,
    entityId: z.string().nullable(),
    person: z.string(),
  }),
});
export type TokenIssued = z.infer<typeof TokenIssued>;

export const TokenRevoked = z.strictObject({
  type: z.literal('TokenRevoked'),
  data: z.strictObject({ tokenId: z.string() }),
});
export type TokenRevoked = z.infer<typeof TokenRevoked>;

export const TokenEvent = z.discriminatedUnion('type', [TokenIssued, TokenRevoked]);
export type TokenEvent = z.infer<typeof TokenEvent>;

export const tokenStream = (tokenId: string) => `token-${tokenId}`;
