import type { Visible } from '../dialogue/visibility';
import type { Clock } from '../config';
import { type ActionItemQueries, utcDay } from '../actionItems/queries';
import type { ProposalQueries } from '../proposals/queries';
import { editionStream } from '../editions/events';

export type ItemKind = 'proposal' | 'action-item';

/** A view as the live layer needs it: its JSON, and the group and visibility that decide who may see it. */
export interface ItemView {
  groupId: string;
  visibility?: string;
  json: string;
}

/**
 * What the live hub asks of the proposal and action-item slices. The hub never reads their tables itself:
 * it only needs to know where an item lives (to authorise a subscription) and its current view (for the
 * `view` of each `event` message), and filters both with the one visibility rule.
 */
export interface ViewResolver {
  /** The group and visibility of an item; undefined when it does not exist. */
  facts(kind: ItemKind, id: string): Visible | undefined;
  /** The item's current, unfiltered view (as JSON); null when it does not exist. */
  view(kind: ItemKind, id: string): ItemView | null;
  /** Whether an edition exists (its topic is open to every token). */
  editionExists(id: string): boolean;
}

/**
 * The resolver the application uses: the proposal and action-item slices' own read models. An action item
 * has the visibility of the proposal it implements (`dialogue` when it implements none).
 */
export function viewResolver(
  proposals: Pick<ProposalQueries, 'facts' | 'viewJson'>,
  actionItems: Pick<ActionItemQueries, 'facts' | 'view'>,
  streamVersion: (streamId: string) => number,
  clock: Clock,
): ViewResolver {
  const today = () => utcDay(clock());
  return {
    facts(kind, id) {
      if (kind === 'proposal') {
        const facts = proposals.facts(id);
        return facts && { groupId: facts.groupId, visibility: facts.visibility };
      }
      return actionItems.facts(id);
    },
    view(kind, id) {
      if (kind === 'proposal') return proposals.viewJson(id) ?? null;
      const view = actionItems.view(id, today());
      return view ? { groupId: view.groupId, visibility: view.visibility, json: JSON.stringify(view) } : null;
    },
    editionExists: (id) => streamVersion(editionStream(id)) > 0,
  };
}
