import type { Migration } from 'kysely';
import * as m0001 from './0001_event_store';
import * as m0002 from './0002_dialogue_views';

/**
 * Every migration, by name. Listed statically (not discovered on disk) so that the same code path runs
 * under tsx, vitest and any bundler. Forward only: a shipped migration never changes.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_event_store': m0001,
  '0002_dialogue_views': m0002,
};
