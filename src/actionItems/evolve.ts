import type { Visibility } from '../dialogue/visibility';
import type { ActionItemEvent } from './events';

export type ActionItemStatus = 'open' | 'done' | 'cancelled';

export interface ActionItemState {
  exists: boolean;
  actionItemId: string;
  groupId: string;
  visibility: Visibility;
  ownerEntityId: string;
  status: ActionItemStatus;
  dueDate: string;
  percent: number;
}

export const initialActionItemState: ActionItemState = {
  exists: false,
  actionItemId: '',
  groupId: '',
  visibility: 'dialogue',
  ownerEntityId: '',
  status: 'open',
  dueDate: '',
  percent: 0,
};

export function evolveActionItem(state: ActionItemState, event: ActionItemEvent): ActionItemState {
  switch (event.type) {
    case 'ActionItemOpened': {
      const { actionItemId, groupId, visibility, ownerEntityId, dueDate } = event.data;
      return { ...initialActionItemState, exists: true, actionItemId, groupId, visibility, ownerEntityId, dueDate };
    }
    case 'ActionItemProgressed':
      return { ...state, percent: event.data.percent };
    case 'ActionItemCompleted':
      return { ...state, status: 'done' };
    case 'ActionItemReopened':
      return { ...state, status: 'open' };
    case 'ActionItemCancelled':
      return { ...state, status: 'cancelled' };
    case 'ActionItemDueDateChanged':
      return { ...state, dueDate: event.data.dueDate };
  }
}
