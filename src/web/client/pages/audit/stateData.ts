import { api, call, type Schemas } from '../../api';

export type ProposalView = Schemas['ProposalView'];
export type ActionItemView = Schemas['ActionItemView'];

export interface GroupState {
  position: number;
  recordedAt: string | null;
  proposals: ProposalView[];
  actionItems: ActionItemView[];
}

/**
 * A group's proposals and action items as they stood at `at` (a position, or an ISO time the server resolves
 * to the last position at or before it), every page of it.
 */
export async function readState(group: string, at: string): Promise<GroupState> {
  const first = await call(api.GET('/audit/state', { params: { query: { group, at } } }));
  const state: GroupState = {
    position: first.position,
    recordedAt: first.recordedAt,
    proposals: [...first.proposals],
    actionItems: [...first.actionItems],
  };
  let cursor = first.nextCursor;
  while (cursor !== null) {
    const page = await call(api.GET('/audit/state', { params: { query: { group, at, cursor } } }));
    state.proposals.push(...page.proposals);
    state.actionItems.push(...page.actionItems);
    cursor = page.nextCursor;
  }
  return state;
}

/** One difference of an item between two states: added, removed, or some of its fields changed. */
export type Change =
  | { kind: 'added' | 'removed'; item: 'proposal' | 'actionItem'; id: string; title: string }
  | {
      kind: 'changed';
      item: 'proposal' | 'actionItem';
      id: string;
      title: string;
      fields: Array<{ field: string; from: string; to: string }>;
    };

/** What an auditor compares of each item: the fields that carry its decisions, not its timestamps. */
const PROPOSAL_FIELDS = {
  status: (view: ProposalView) => view.status,
  title: (view: ProposalView) => view.title,
  revision: (view: ProposalView) => String(view.revision),
  visibility: (view: ProposalView) => view.visibility,
  endorsements: (view: ProposalView) => String(view.endorsements.length),
  objections: (view: ProposalView) => String(view.objections.length),
  comments: (view: ProposalView) => String(view.commentCount),
  actionItems: (view: ProposalView) => String(view.actionItemCount),
};
const ACTION_ITEM_FIELDS = {
  status: (view: ActionItemView) => view.status,
  title: (view: ActionItemView) => view.title,
  owner: (view: ActionItemView) => view.ownerEntityId,
  dueDate: (view: ActionItemView) => view.dueDate,
  percent: (view: ActionItemView) => String(view.percent),
};
export type ChangedField = keyof typeof PROPOSAL_FIELDS | keyof typeof ACTION_ITEM_FIELDS;

function compare<V extends { id: string; title: string }>(
  item: 'proposal' | 'actionItem',
  before: readonly V[],
  after: readonly V[],
  fields: Record<string, (view: V) => string>,
): Change[] {
  const earlier = new Map(before.map((view) => [view.id, view]));
  const later = new Map(after.map((view) => [view.id, view]));
  const changes: Change[] = [];
  for (const view of after) {
    const old = earlier.get(view.id);
    if (!old) {
      changes.push({ kind: 'added', item, id: view.id, title: view.title });
      continue;
    }
    const differences = Object.entries(fields).flatMap(([field, read]) =>
      read(old) === read(view) ? [] : [{ field, from: read(old), to: read(view) }],
    );
    if (differences.length > 0)
      changes.push({ kind: 'changed', item, id: view.id, title: view.title, fields: differences });
  }
  for (const view of before)
    if (!later.has(view.id)) changes.push({ kind: 'removed', item, id: view.id, title: view.title });
  return changes;
}

/** The differences from state `before` to state `after`: proposals first, then action items. */
export function changesBetween(before: GroupState, after: GroupState): Change[] {
  return [
    ...compare('proposal', before.proposals, after.proposals, PROPOSAL_FIELDS),
    ...compare('actionItem', before.actionItems, after.actionItems, ACTION_ITEM_FIELDS),
  ];
}
