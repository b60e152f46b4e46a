import type { Kysely } from 'kysely';

/** Reserved for the proposals views (filled in by the proposals slice). */
export async function up(_db: Kysely<unknown>): Promise<void> {}
