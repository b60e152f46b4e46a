import type { Sqlite } from '../eventStore/database';

export interface ActionItemLink {
  id: string;
  title: string;
  status: 'open' | 'done' | 'cancelled';
}

/** The action items that implement a proposal, for the proposal view (oldest first). */
export function actionItemsOfProposal(sqlite: Sqlite, proposalId: string): ActionItemLink[] {
  return sqlite
    .prepare<[string], ActionItemLink>(
      'SELECT id, title, status FROM action_items WHERE proposal_id = ? ORDER BY created_at, id',
    )
    .all(proposalId);
}
