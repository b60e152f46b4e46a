import { describe, expect, it } from 'vitest';
import { givenFor } from '../support/decider';
import { declareOverdue, overdueAt } from '../../src/actionItems/deadline';
import * as decide from '../../src/actionItems/decider';
import type { ActionItemEvent } from '../../src/actionItems/events';
import type { Participant } from '../../src/dialogue/participant';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors';

const about = { actionItemId: 'a1', groupId: 'strategic', visibility: 'dialogue' as const };
const opened: ActionItemEvent = {
  type: 'ActionItemOpened',
  data: { ...about, title: 'Draft MoU', ownerEntityId: 'afripol', dueDate: '2026-04-01', proposalId: null },
};
const done: ActionItemEvent = { type: 'ActionItemCompleted', data: { ...about, note: null } };
const cancelled: ActionItemEvent = { type: 'ActionItemCancelled', data: { ...about, reason: 'r' } };
const given = givenFor(decide.actionItemDecider);
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
    actionItemId: 'a1',
    groupId: 'strategic',
    title: 'Draft MoU',
    dueDate: '2026-04-01',
    owner: { id: 'afripol', kind: 'member', participates: true },
    ownerEntityId: 'afripol',
    proposal: undefined,
    proposalId: null,
  };
  it('lets a chair entity open an item for a participating member entity', () => {
    given().when(decide.openActionItem, chair, command).then([opened]);
  });
  it('refuses a delegate of an entity that does not chair the group', () => {
    given().when(decide.openActionItem, other, command).thenThrows(Forbidden);
  });
  it('refuses an observer owner and an owner outside the group (409), and an unknown owner (400)', () => {
    given()
      .when(decide.openActionItem, chair, { ...command, owner: { id: 'unodc', kind: 'observer', participates: true } })
      .thenThrows(Conflict);
    given()
      .when(decide.openActionItem, chair, { ...command, owner: { id: 'eco', kind: 'member', participates: false } })
      .thenThrows(Conflict);
    given()
      .when(decide.openActionItem, chair, { ...command, owner: undefined })
      .thenThrows(BadRequest);
  });
  it('links only an adopted proposal (409 otherwise) of the same group (404 otherwise, as if unseen)', () => {
    const linked = { ...command, proposalId: 'p1' };
    given()
      .when(decide.openActionItem, chair, {
        ...linked,
        proposal: { id: 'p1', groupId: 'strategic', status: 'adopted', visibility: 'dialogue' },
      })
      .then([
        {
          type: 'ActionItemOpened',
          data: { ...about, title: 'Draft MoU', ownerEntityId: 'afripol', dueDate: '2026-04-01', proposalId: 'p1' },
        },
      ]);
    given()
      .when(decide.openActionItem, chair, {
        ...linked,
        proposal: { id: 'p1', groupId: 'strategic', status: 'open', visibility: 'dialogue' },
      })
      .thenThrows(Conflict);
    given()
      .when(decide.openActionItem, chair, {
        ...linked,
        proposal: { id: 'p1', groupId: 'operational', status: 'adopted', visibility: 'dialogue' },
      })
      .thenThrows(NotFound);
    given().when(decide.openActionItem, chair, linked).thenThrows(NotFound);
  });
});

describe('progress and completion', () => {
  it('lets the owner entity or a chair record progress on an open item', () => {
    given(opened)
      .when(decide.recordProgress, owner, { id: 'a1', percent: 40, note: 'n' })
      .then([{ type: 'ActionItemProgressed', data: { ...about, percent: 40, note: 'n' } }]);
    given(opened)
      .when(decide.recordProgress, chair, { id: 'a1', percent: 50, note: 'n' })
      .then([{ type: 'ActionItemProgressed', data: { ...about, percent: 50, note: 'n' } }]);
    given(opened).when(decide.recordProgress, other, { id: 'a1', percent: 50, note: 'n' }).thenThrows(Forbidden);
  });
  it('refuses progress on a cancelled item and completing a done one (409)', () => {
    given(opened, cancelled)
      .when(decide.recordProgress, owner, { id: 'a1', percent: 10, note: 'n' })
      .thenThrows(Conflict);
    given(opened, done).when(decide.completeActionItem, owner, { id: 'a1', note: null }).thenThrows(Conflict);
  });
  it('lets the owner complete an open item', () => {
    given(opened).when(decide.completeActionItem, owner, { id: 'a1', note: null }).then([done]);
  });
  it('answers 404 for an unknown item and for an entity outside the group', () => {
    given().when(decide.completeActionItem, owner, { id: 'a1', note: null }).thenThrows(NotFound);
    const outsider: Participant = { ...other, groups: new Set(['operational']) };
    given(opened).when(decide.completeActionItem, outsider, { id: 'a1', note: null }).thenThrows(NotFound);
  });
});

describe("the chair's transitions", () => {
  it('reopens a done or cancelled item, never an open one', () => {
    const reopened: ActionItemEvent = { type: 'ActionItemReopened', data: { ...about, reason: 'r' } };
    given(opened, done).when(decide.reopenActionItem, chair, { id: 'a1', reason: 'r' }).then([reopened]);
    given(opened, cancelled).when(decide.reopenActionItem, chair, { id: 'a1', reason: 'r' }).then([reopened]);
    given(opened).when(decide.reopenActionItem, chair, { id: 'a1', reason: 'r' }).thenThrows(Conflict);
  });
  it('cancels an open item only, and only as chair', () => {
    given(opened).when(decide.cancelActionItem, chair, { id: 'a1', reason: 'r' }).then([cancelled]);
    given(opened).when(decide.cancelActionItem, owner, { id: 'a1', reason: 'r' }).thenThrows(Forbidden);
    given(opened, done).when(decide.cancelActionItem, chair, { id: 'a1', reason: 'r' }).thenThrows(Conflict);
  });
  it('moves a due date with the previous one recorded, refusing a non-change', () => {
    given(opened)
      .when(decide.changeDueDate, chair, { id: 'a1', dueDate: '2026-05-01', reason: 'r' })
      .then([
        {
          type: 'ActionItemDueDateChanged',
          data: { ...about, dueDate: '2026-05-01', previousDueDate: '2026-04-01', reason: 'r' },
        },
      ]);
    given(opened)
      .when(decide.changeDueDate, chair, { id: 'a1', dueDate: '2026-04-01', reason: 'r' })
      .thenThrows(BadRequest);
    given(opened)
      .when(decide.changeDueDate, owner, { id: 'a1', dueDate: '2026-05-01', reason: 'r' })
      .thenThrows(Forbidden);
  });
});

describe('becoming overdue', () => {
  const dueAt = '2026-04-02T00:00:00.000Z';
  const firing = { dueAt, firedAt: '2026-04-02T00:00:00.300Z' };
  const overdue = (dueDate: string, at: string): ActionItemEvent => ({
    type: 'ActionItemBecameOverdue',
    data: { ...about, dueDate, dueAt: at, firedAt: firing.firedAt },
  });
  const moved = (dueDate: string, previousDueDate: string): ActionItemEvent => ({
    type: 'ActionItemDueDateChanged',
    data: { ...about, dueDate, previousDueDate, reason: 'r' },
  });
  const reopened: ActionItemEvent = { type: 'ActionItemReopened', data: { ...about, reason: 'r' } };

  it('is due at 00:00 UTC of the day after the due date, across a month and a year', () => {
    expect(overdueAt('2026-04-01')).toBe(dueAt);
    expect(overdueAt('2026-02-28')).toBe('2026-03-01T00:00:00.000Z');
    expect(overdueAt('2026-12-31')).toBe('2027-01-01T00:00:00.000Z');
  });
  it('declares an open item overdue for its due date, once', () => {
    given(opened)
      .when(declareOverdue, firing)
      .then([overdue('2026-04-01', dueAt)]);
    given(opened, overdue('2026-04-01', dueAt)).when(declareOverdue, firing).then([]);
  });
  it('fires nothing for an item done or cancelled, or an unknown item', () => {
    given(opened, done).when(declareOverdue, firing).then([]);
    given(opened, cancelled).when(declareOverdue, firing).then([]);
    given().when(declareOverdue, firing).then([]);
  });
  it('fires nothing for a due date that moved since it fell due, and fires again for a new date', () => {
    given(opened, moved('2026-05-01', '2026-04-01')).when(declareOverdue, firing).then([]);
    const later = { dueAt: '2026-05-02T00:00:00.000Z', firedAt: '2026-05-02T00:00:01.000Z' };
    given(opened, overdue('2026-04-01', dueAt), moved('2026-05-01', '2026-04-01'))
      .when(declareOverdue, later)
      .then([
        {
          type: 'ActionItemBecameOverdue',
          data: { ...about, dueDate: '2026-05-01', dueAt: later.dueAt, firedAt: later.firedAt },
        },
      ]);
  });
  it('does not fire again for an item reopened after its date fired', () => {
    given(opened, overdue('2026-04-01', dueAt), done, reopened).when(declareOverdue, firing).then([]);
  });
});
