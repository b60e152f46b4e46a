import { describe, expect, it } from 'vitest';
import * as decide from '../../src/actionItems/decide';
import type { ActionItemEvent } from '../../src/actionItems/events';
import { type ActionItemState, evolveActionItem, initialActionItemState } from '../../src/actionItems/evolve';
import type { Participant } from '../../src/dialogue/participant';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors';

const about = { actionItemId: 'a1', groupId: 'strategic', visibility: 'dialogue' as const };
const opened: ActionItemEvent = { type: 'ActionItemOpened', data: { ...about, title: 'Draft MoU', ownerEntityId: 'afripol', dueDate: '2026-04-01', proposalId: null } };
const done: ActionItemEvent = { type: 'ActionItemCompleted', data: { ...about, note: null } };
const cancelled: ActionItemEvent = { type: 'ActionItemCancelled', data: { ...about, reason: 'r' } };
const given = (...events: ActionItemEvent[]): ActionItemState => events.reduce(evolveActionItem, initialActionItemState);
const delegate = (entityId: string, chairs: string[] = []): Participant => ({
  actor: { role: 'delegate', entityId, entityKind: 'member' },
  groups: new Set(['strategic', 'operational']),
  chairs: new Set(chairs),
});
const chair = delegate('interpol', ['strategic']);
const owner = delegate('afripol');
const other = delegate('aimc');

describe('opening', () => {
  const command: decide.OpenActionItem = {
    actionItemId: 'a1', groupId: 'strategic', title: 'Draft MoU', dueDate: '2026-04-01',
    owner: { id: 'afripol', kind: 'member', participates: true }, ownerEntityId: 'afripol', proposal: undefined, proposalId: null,
  };
  it('lets a chair entity open an item for a participating member entity', () => {
    expect(decide.openActionItem(initialActionItemState, chair, command)).toEqual([opened]);
  });
  it('refuses a delegate of an entity that does not chair the group', () => {
    expect(() => decide.openActionItem(initialActionItemState, other, command)).toThrow(Forbidden);
  });
  it('refuses an observer owner and an owner outside the group (409), and an unknown owner (400)', () => {
    expect(() => decide.openActionItem(initialActionItemState, chair, { ...command, owner: { id: 'unodc', kind: 'observer', participates: true } })).toThrow(Conflict);
    expect(() => decide.openActionItem(initialActionItemState, chair, { ...command, owner: { id: 'eco', kind: 'member', participates: false } })).toThrow(Conflict);
    expect(() => decide.openActionItem(initialActionItemState, chair, { ...command, owner: undefined })).toThrow(BadRequest);
  });
  it('links only an adopted proposal (409 otherwise) of the same group (404 otherwise, as if unseen)', () => {
    const linked = { ...command, proposalId: 'p1' };
    expect(decide.openActionItem(initialActionItemState, chair, { ...linked, proposal: { id: 'p1', groupId: 'strategic', status: 'adopted', visibility: 'dialogue' } })).toHaveLength(1);
    expect(() => decide.openActionItem(initialActionItemState, chair, { ...linked, proposal: { id: 'p1', groupId: 'strategic', status: 'open', visibility: 'dialogue' } })).toThrow(Conflict);
    expect(() => decide.openActionItem(initialActionItemState, chair, { ...linked, proposal: { id: 'p1', groupId: 'operational', status: 'adopted', visibility: 'dialogue' } })).toThrow(NotFound);
    expect(() => decide.openActionItem(initialActionItemState, chair, linked)).toThrow(NotFound);
  });
});

describe('progress and completion', () => {
  it('lets the owner entity or a chair record progress on an open item', () => {
    expect(decide.recordProgress(given(opened), owner, { id: 'a1', percent: 40, note: 'n' })).toHaveLength(1);
    expect(decide.recordProgress(given(opened), chair, { id: 'a1', percent: 50, note: 'n' })).toHaveLength(1);
    expect(() => decide.recordProgress(given(opened), other, { id: 'a1', percent: 50, note: 'n' })).toThrow(Forbidden);
  });
  it('refuses progress on a cancelled item and completing a done one (409)', () => {
    expect(() => decide.recordProgress(given(opened, cancelled), owner, { id: 'a1', percent: 10, note: 'n' })).toThrow(Conflict);
    expect(() => decide.completeActionItem(given(opened, done), owner, { id: 'a1', note: null })).toThrow(Conflict);
  });
  it('lets the owner complete an open item', () => {
    expect(decide.completeActionItem(given(opened), owner, { id: 'a1', note: null })).toEqual([done]);
  });
  it('answers 404 for an unknown item and for an entity outside the group', () => {
    expect(() => decide.completeActionItem(initialActionItemState, owner, { id: 'a1', note: null })).toThrow(NotFound);
    const outsider: Participant = { ...other, groups: new Set(['operational']) };
    expect(() => decide.completeActionItem(given(opened), outsider, { id: 'a1', note: null })).toThrow(NotFound);
  });
});

describe("the chair's transitions", () => {
  it('reopens a done or cancelled item, never an open one', () => {
    expect(decide.reopenActionItem(given(opened, done), chair, { id: 'a1', reason: 'r' })).toHaveLength(1);
    expect(decide.reopenActionItem(given(opened, cancelled), chair, { id: 'a1', reason: 'r' })).toHaveLength(1);
    expect(() => decide.reopenActionItem(given(opened), chair, { id: 'a1', reason: 'r' })).toThrow(Conflict);
  });
  it('cancels an open item only, and only as chair', () => {
    expect(decide.cancelActionItem(given(opened), chair, { id: 'a1', reason: 'r' })).toEqual([cancelled]);
    expect(() => decide.cancelActionItem(given(opened), owner, { id: 'a1', reason: 'r' })).toThrow(Forbidden);
    expect(() => decide.cancelActionItem(given(opened, done), chair, { id: 'a1', reason: 'r' })).toThrow(Conflict);
  });
  it('moves a due date with the previous one recorded, refusing a non-change', () => {
    expect(decide.changeDueDate(given(opened), chair, { id: 'a1', dueDate: '2026-05-01', reason: 'r' })).toEqual([
      { type: 'ActionItemDueDateChanged', data: { ...about, dueDate: '2026-05-01', previousDueDate: '2026-04-01', reason: 'r' } },
    ]);
    expect(() => decide.changeDueDate(given(opened), chair, { id: 'a1', dueDate: '2026-04-01', reason: 'r' })).toThrow(BadRequest);
    expect(() => decide.changeDueDate(given(opened), owner, { id: 'a1', dueDate: '2026-05-01', reason: 'r' })).toThrow(Forbidden);
  });
});
