import type { Visible } from '../dialogue/visibility';
import type { EventReader } from '../eventStore/read';
import type { Sqlite } from '../eventStore/database';
import type { Clock } from '../config';
import { visibleOf } from './topics';

export type ItemKind = 'proposal' | 'action-item';

/** A view as the live layer needs it: any JSON object that names its group (and visibility, if any). */
export interface ItemView {
  groupId: string;
  visibility?: string;
  [key: string]: unknown;
}

/**
 * What the live hub asks of the proposal and action-item slices. The hub never reads their tables itself:
 * it only needs to know where an item lives (to authorise a subscription) and its current view (for the
 * `view` of each `event` message), and filters both with the one visibility rule.
 */
export interface ViewResolver {
  /** The group and visibility of an item; undefined when it does not exist. */
  facts(kind: ItemKind, id: string): Visible | undefined;
  /** The item's current, unfiltered view; null when the slice offers none. */
  view(kind: ItemKind, id: string): ItemView | null;
}

const streamOf = (kind: ItemKind, id: string) => `${kind}-${id}`;

/**
 * Resolves items from the log alone: the first event of an item's stream carries its `groupId` and
 * `visibility`, which is all a subscription needs. It serves no views, so `event` messages carry
 * `view: null` wherever it is used.
 */
export function logViewResolver(reader: EventReader): ViewResolver {
  return {
    facts(kind, id) {
      const first = reader.readStream(streamOf(kind, id))[0];
      return first ? visibleOf(first) : undefined;
    },
    view: () => null,
  };
}

/** The resolver the application uses. */
export function viewResolver(_sqlite: Sqlite, reader: EventReader, _clock: Clock): ViewResolver {
  return logViewResolver(reader);
}
