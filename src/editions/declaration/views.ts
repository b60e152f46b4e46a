import { z } from 'zod';
import { ActorRef, Timestamp } from '../../eventStore/types';
import { Receipt } from '../../http/schemas';

export const DeclarationStatus = z.enum(['draft', 'silence', 'adopted']);

export const DeclarationParagraphView = z
  .object({
    n: z.number().int().describe('numbered from 1'),
    text: z.string(),
    sourceProposalId: z
      .string()
      .nullable()
      .describe('the proposal it was drafted from; null when added, or when the caller may not see that proposal'),
  })
  .meta({ id: 'DeclarationParagraph' });

export const SilenceBreak = z
  .object({ entityId: z.string(), reason: z.string(), at: Timestamp })
  .meta({ id: 'SilenceBreak' });

export const DeclarationView = z
  .object({
    editionId: z.string(),
    editionNumber: z.number().int(),
    status: DeclarationStatus,
    paragraphs: z.array(DeclarationParagraphView),
    version: z.number().int().describe("the edition stream's version: what If-Match and expectedVersion name"),
    revision: z.number().int().describe('text changes so far: 1 is the draft'),
    silence: z
      .object({ until: Timestamp, breaks: z.array(SilenceBreak) })
      .nullable()
      .describe('the open silence procedure, or null'),
    adoptedAt: Timestamp.nullable(),
    adoptedBy: z.array(z.string()).nullable().describe('the member entities present, once adopted'),
    textHash: z.string().nullable().describe('sha256 (hex) of the canonical text, once adopted'),
    signature: z.string().nullable().describe("Ed25519 (base64) by the server's checkpoint key, once adopted"),
    receipt: Receipt.nullable().describe('position and hash of the adopting event'),
  })
  .meta({ id: 'Declaration' });
export type DeclarationView = z.infer<typeof DeclarationView>;

export const DeclarationHistory = z
  .object({
    changes: z.array(
      z.object({
        version: z.number().int(),
        position: z.number().int(),
        type: z.string(),
        revision: z.number().int().describe('the revision of the text after this change'),
        actor: ActorRef,
        at: Timestamp,
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    next: z
      .number()
      .int()
      .nullable()
      .describe('the `after` of the next page (the last version returned); null at the end'),
  })
  .meta({ id: 'DeclarationHistory' });
export type DeclarationHistory = z.infer<typeof DeclarationHistory>;

const Change = z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() });
export const DeclarationDiff = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    paragraphs: z.array(
      z.object({
        status: z.enum(['unchanged', 'changed', 'added', 'removed']),
        from: z.number().int().nullable().describe("the paragraph's number in revision `from` (null when added)"),
        to: z.number().int().nullable().describe("the paragraph's number in revision `to` (null when removed)"),
        changes: z.array(Change).describe('word by word, from the old wording to the new'),
      }),
    ),
  })
  .meta({ id: 'DeclarationDiff' });
export type DeclarationDiff = z.infer<typeof DeclarationDiff>;
