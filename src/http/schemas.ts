import { z } from 'zod';
import { textProblem, titleProblem } from './text';

export const Receipt = z
  .object({
    position: z.number().int().describe('position of the chain head after the write'),
    hash: z.string().describe('hash of the chain head after the write'),
  })
  .meta({ id: 'Receipt' });

/** Every write answers with where its last event landed and the chain head after it. */
export const WriteResult = z
  .object({
    position: z.number().int().describe("global position of the write's last event"),
    version: z.number().int().describe("the stream's version after the write"),
    receipt: Receipt,
  })
  .meta({ id: 'WriteResult' });

/** Ids are short URL-safe strings: bounded so that junk never reaches a query. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, - or _');

/** A stream version a client wrote against (`expectedVersion`). */
export const Version = z.number().int().min(0);

export const GroupParams = z.strictObject({ groupId: Id });

const freeText = (max: number, problem: (text: string) => string | undefined) =>
  z
    .string()
    .trim()
    .normalize('NFC')
    .min(1, 'must not be blank')
    .max(max)
    .superRefine((text, ctx) => {
      // Empty text is already refused by min(1): one message is enough.
      const message = text === '' ? undefined : problem(text);
      if (message !== undefined) ctx.addIssue({ code: 'custom', message });
    });

/**
 * Free text a person typed (bodies, comments, notes, reasons): trimmed, NFC-normalised (a composed and a
 * decomposed "é" are stored alike), bounded; no control characters but tab and line breaks; not blank,
 * invisible characters alone included. Right-to-left marks stay: Arabic text needs them.
 */
export const Text = (max: number) => freeText(max, textProblem);

/** A title: as Text, without bidirectional controls or tag characters, which make it display as something else. */
export const Title = (max: number) => freeText(max, titleProblem);

/** The contract's list page size: default 50, at most 200. */
export const PageLimit = z.coerce.number().int().min(1).max(200).default(50);

/** Bodies of writes whose fields are all optional may be left out entirely. */
export function optionalBody<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === undefined || value === null ? {} : value), schema);
}
