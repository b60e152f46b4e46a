import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ActionItemEvent, actionItemStream } from '../../src/actionItems/events';
import { actionItemsProjection } from '../../src/actionItems/projection';
import { CHAIR, type Given, projectionSpec } from '../support/givenEvents';

const about = (actionItemId: string) => ({ actionItemId, groupId: 'strategic', visibility: 'members' as const });
const on = (at: string, event: ActionItemEvent, actor = CHAIR): Given => ({
  streamId: actionItemStream(event.data.actionItemId),
  actor,
  at,
  ...event,
});
const opened = (id: string, at = '2026-03-02T09:00:00.000Z') =>
  on(at, {
    type: 'ActionItemOpened',
    data: { ...about(id), title: `Item ${id}`, ownerEntityId: 'afripol', dueDate: '2026-04-01', proposalId: 'p1' },
  });
const owner = { entityId: 'afripol', person: 'Ola Owner', role: 'delegate' as const };

let spec: Awaited<ReturnType<typeof projectionSpec>>;
beforeEach(async () => {
  spec = await projectionSpec(actionItemsProjection);
});
afterEach(() => spec.close());

const items = () => spec.sqlite.prepare('SELECT * FROM action_items ORDER BY seq').all();
const item = (id: string) => spec.sqlite.prepare('SELECT * FROM action_items WHERE id = ?').get(id);
const history = (id: string) =>
  spec.sqlite.prepare('SELECT * FROM action_item_history WHERE action_item_id = ? ORDER BY version').all(id);

describe('the action items projection: item rows', () => {
  it('makes an opened item a row, open at 0 percent and version 1, its sequence the position in the log', () => {
    spec.given(opened('a0'), opened('a1', '2026-03-03T10:00:00.000Z'));
    expect(items()).toEqual([
      expect.objectContaining({ id: 'a0', seq: 1 }),
      {
        id: 'a1',
        group_id: 'strategic',
        visibility: 'members',
        seq: 2,
        title: 'Item a1',
        owner_entity_id: 'afripol',
        due_date: '2026-04-01',
        proposal_id: 'p1',
        status: 'open',
        percent: 0,
        version: 1,
        overdue_for: null,
        created_at: '2026-03-03T10:00:00.000Z',
        updated_at: '2026-03-03T10:00:00.000Z',
      },
    ]);
  });

  it('moves the version and the update time with every transition, never the creation time', () => {
    spec.given(
      opened('a1'),
      on('2026-03-04T08:00:00.000Z', {
        type: 'ActionItemProgressed',
        data: { ...about('a1'), percent: 40, note: 'n' },
      }),
    );
    expect(item('a1')).toMatchObject({
      version: 2,
      created_at: '2026-03-02T09:00:00.000Z',
      updated_at: '2026-03-04T08:00:00.000Z',
    });
  });

  it('keeps the percent recorded and the due date moved', () => {
    spec.given(
      opened('a1'),
      on('2026-03-04T08:00:00.000Z', {
        type: 'ActionItemProgressed',
        data: { ...about('a1'), percent: 40, note: 'n' },
      }),
      on('2026-03-05T08:00:00.000Z', {
        type: 'ActionItemDueDateChanged',
        data: { ...about('a1'), dueDate: '2026-05-01', previousDueDate: '2026-04-01', reason: 'r' },
      }),
    );
    expect(item('a1')).toMatchObject({ status: 'open', percent: 40, due_date: '2026-05-01', version: 3 });
  });

  it('sets the status of each transition: done, open again, cancelled, leaving the percent as it was', () => {
    const at = '2026-03-04T08:00:00.000Z';
    spec.given(
      opened('a1'),
      on(at, { type: 'ActionItemProgressed', data: { ...about('a1'), percent: 70, note: 'n' } }),
      on(at, { type: 'ActionItemCompleted', data: { ...about('a1'), note: null } }),
    );
    expect(item('a1')).toMatchObject({ status: 'done', percent: 70, version: 3 });
    spec.given(on(at, { type: 'ActionItemReopened', data: { ...about('a1'), reason: 'r' } }));
    expect(item('a1')).toMatchObject({ status: 'open', version: 4 });
    spec.given(on(at, { type: 'ActionItemCancelled', data: { ...about('a1'), reason: 'r' } }));
    expect(item('a1')).toMatchObject({ status: 'cancelled', percent: 70, version: 5 });
  });

  it('touches only the item its event names', () => {
    spec.given(
      opened('a1'),
      opened('a2'),
      on('2026-03-04T08:00:00.000Z', { type: 'ActionItemCancelled', data: { ...about('a1'), reason: 'r' } }),
    );
    expect(item('a2')).toMatchObject({ status: 'open', version: 1, updated_at: '2026-03-02T09:00:00.000Z' });
  });

  it('ignores the events of other slices', () => {
    spec.given({ streamId: 'group-strategic', type: 'GroupFormed', data: { groupId: 'strategic', name: 'S' } });
    expect(items()).toEqual([]);
    expect(spec.sqlite.prepare('SELECT count(*) AS n FROM action_item_history').get()).toEqual({ n: 0 });
  });
});

describe('the action items projection: history rows', () => {
  it('records every event as a step: its version, position, actor, time and what it says besides the item', () => {
    spec.given(
      opened('a0'),
      opened('a1'),
      on(
        '2026-03-04T08:00:00.000Z',
        { type: 'ActionItemProgressed', data: { ...about('a1'), percent: 40, note: 'half way' } },
        owner,
      ),
    );
    expect(history('a1')).toEqual([
      {
        action_item_id: 'a1',
        version: 1,
        position: 2,
        type: 'ActionItemOpened',
        entity_id: 'interpol',
        person: 'Ana Chair',
        role: 'delegate',
        at: '2026-03-02T09:00:00.000Z',
        detail: JSON.stringify({ title: 'Item a1', ownerEntityId: 'afripol', dueDate: '2026-04-01', proposalId: 'p1' }),
      },
      {
        action_item_id: 'a1',
        version: 2,
        position: 3,
        type: 'ActionItemProgressed',
        entity_id: 'afripol',
        person: 'Ola Owner',
        role: 'delegate',
        at: '2026-03-04T08:00:00.000Z',
        detail: JSON.stringify({ percent: 40, note: 'half way' }),
      },
    ]);
  });

  it('records an actor without an entity (the secretariat) with a null entity', () => {
    const secretariat = { entityId: null, person: 'Sam Secretariat', role: 'secretariat' as const };
    spec.given(
      opened('a1'),
      on(
        '2026-03-04T08:00:00.000Z',
        { type: 'ActionItemCancelled', data: { ...about('a1'), reason: 'r' } },
        secretariat,
      ),
    );
    expect(history('a1')[1]).toMatchObject({
      entity_id: null,
      person: 'Sam Secretariat',
      role: 'secretariat',
      detail: JSON.stringify({ reason: 'r' }),
    });
  });
});
