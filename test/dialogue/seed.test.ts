import { describe, expect, it } from 'vitest';
import { ensureReferenceData, holdsUserEvents } from '../../src/dialogue/seed';
import { SYSTEM_ACTOR } from '../../src/dialogue/reference';
import { issueToken } from '../../src/tokens/tokens';
import { createTestApp } from '../support/app';

describe('recognising the reference data', () => {
  it('finds no user event in a fresh database, even after the seed ran again', async () => {
    const ctx = await createTestApp();
    try {
      await ensureReferenceData(ctx.runtime.store);
      expect(holdsUserEvents(ctx.runtime.db.sqlite)).toBe(false);
    } finally {
      await ctx.close();
    }
  });

  it('finds a token, even one recorded under the seed request id', async () => {
    const ctx = await createTestApp();
    try {
      await issueToken(
        ctx.runtime.store,
        ctx.runtime.directory,
        { role: 'auditor', person: 'Auditor' },
        { ...SYSTEM_ACTOR },
        'seed',
      );
      expect(holdsUserEvents(ctx.runtime.db.sqlite)).toBe(true);
    } finally {
      await ctx.close();
    }
  });
});
