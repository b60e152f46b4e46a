import type { Migration } from 'kysely';
import * as m0001 from './0001_event_store';
import * as m0002 from './0002_dialogue_views';
import * as m0003 from './0003_proposals';
import * as m0004 from './0004_action_items';
import * as m0005 from './0005_search_follows_log';
import * as m0006 from './0006_contentless_search';
import * as m0007 from './0007_comments_read_from_log';
import * as m0008 from './0008_search_per_group';
import * as m0009 from './0009_deadlines';
import * as m0010 from './0010_editions';
import * as m0011 from './0011_declarations';

/**
 * Every migration, by name. Listed statically (not discovered on disk) so that the same code path runs
 * under tsx, vitest and any bundler. Forward only: a shipped migration never changes.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_event_store': m0001,
  '0002_dialogue_views': m0002,
  '0003_proposals': m0003,
  '0004_action_items': m0004,
  '0005_search_follows_log': m0005,
  '0006_contentless_search': m0006,
  '0007_comments_read_from_log': m0007,
  '0008_search_per_group': m0008,
  '0009_deadlines': m0009,
  '0010_editions': m0010,
  '0011_declarations': m0011,
};
