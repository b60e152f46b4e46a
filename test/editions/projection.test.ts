import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editionStream } from '../../src/editions/events';
import { editionsProjection } from '../../src/editions/projection';
import { projectionSpec } from '../support/givenEvents';

let spec: Awaited<ReturnType<typeof projectionSpec>>;
beforeEach(async () => {
  spec = await projectionSpec(editionsProjection);
});
afterEach(async () => spec.close());

const streamId = editionStream('e1');
const editionId = 'e1';
const scheduled = {
  streamId,
  type: 'EditionScheduled',
  data: {
    editionId,
    number: 6,
    title: 'Sixth',
    startsOn: '2026-05-12',
    endsOn: '2026-05-14',
    venue: 'Lyon',
    hostEntityId: 'interpol',
  },
};
const rows = (table: string) => spec.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
const edition = () => spec.sqlite.prepare('SELECT * FROM editions').get();

describe('editionsProjection', () => {
  it('given an edition scheduled, an edition row at version 1 without a declaration', () => {
    spec.given(scheduled);
    expect(edition()).toEqual({
      id: 'e1',
      number: 6,
      title: 'Sixth',
      starts_on: '2026-05-12',
      ends_on: '2026-05-14',
      venue: 'Lyon',
      host_entity_id: 'interpol',
      declaration_status: null,
      declaration_revision: null,
      version: 1,
      created_at: '2026-03-02T09:00:00.000Z',
      updated_at: '2026-03-02T09:00:00.000Z',
    });
  });

  it('given agenda items added and one removed, the rest in the order they were added', () => {
    const item = (proposalId: string) => ({ editionId, proposalId, groupId: 'strategic', visibility: 'dialogue' });
    spec.given(
      scheduled,
      { streamId, type: 'AgendaItemAdded', data: item('p2') },
      { streamId, type: 'AgendaItemAdded', data: item('p1') },
      { streamId, type: 'AgendaItemRemoved', data: item('p2') },
      { streamId, type: 'AgendaItemAdded', data: item('p2'), at: '2026-03-03T09:00:00.000Z' },
    );
    expect(rows('edition_agenda')).toEqual([
      { edition_id: 'e1', proposal_id: 'p1', group_id: 'strategic', visibility: 'dialogue', seq: 3 },
      { edition_id: 'e1', proposal_id: 'p2', group_id: 'strategic', visibility: 'dialogue', seq: 5 },
    ]);
    expect(edition()).toMatchObject({ version: 5, updated_at: '2026-03-03T09:00:00.000Z' });
  });

  it('given attendance recorded, replaced and withdrawn, the entities attending with their delegates', () => {
    const attend = (entityId: string, entityKind: string, delegates: string[]) => ({
      streamId,
      type: 'AttendanceRecorded',
      data: { editionId, entityId, entityKind, delegates },
    });
    spec.given(
      scheduled,
      attend('europol', 'member', ['Ana']),
      attend('unodc', 'observer', ['Chen']),
      attend('afripol', 'member', ['Dia']),
      attend('europol', 'member', ['Eva', 'Finn']),
      { streamId, type: 'AttendanceWithdrawn', data: { editionId, entityId: 'afripol' } },
    );
    expect(rows('edition_attendance')).toEqual([
      { edition_id: 'e1', entity_id: 'europol', entity_kind: 'member', delegates: '["Eva","Finn"]' },
      { edition_id: 'e1', entity_id: 'unodc', entity_kind: 'observer', delegates: '["Chen"]' },
    ]);
  });

  it("given the declaration's events, its status and revision on the edition's row", () => {
    const declared = (type: string, data: Record<string, unknown>) => ({
      streamId,
      type,
      data: { editionId, ...data },
    });
    spec.given(scheduled, declared('DeclarationDrafted', { revision: 1, paragraphs: [] }));
    expect(edition()).toMatchObject({ declaration_status: 'draft', declaration_revision: 1, version: 2 });
    spec.given(
      declared('DeclarationParagraphAdded', { revision: 2, n: 1, text: 'We agree.' }),
      declared('DeclarationParagraphEdited', { revision: 3, n: 1, text: 'We all agree.' }),
      declared('SilenceProcedureOpened', { revision: 3, until: '2026-05-15T09:00:00.000Z' }),
      declared('SilenceBroken', { entityId: 'europol', reason: 'Not yet.' }),
    );
    expect(edition()).toMatchObject({ declaration_status: 'silence', declaration_revision: 3, version: 6 });
    const end = { revision: 3, dueAt: 'd', firedAt: 'f', textHash: null, signature: null };
    spec.given(declared('SilenceProcedureEnded', { ...end, outcome: 'broken', adoptedBy: [] }));
    expect(edition()).toMatchObject({ declaration_status: 'draft', declaration_revision: 3, version: 7 });
    spec.given(
      declared('DeclarationParagraphMoved', { revision: 4, from: 1, to: 1 }),
      declared('DeclarationParagraphRemoved', { revision: 5, n: 1 }),
      declared('SilenceProcedureOpened', { revision: 5, until: '2026-05-16T09:00:00.000Z' }),
      declared('SilenceProcedureEnded', { ...end, revision: 5, outcome: 'adopted', adoptedBy: ['europol'] }),
    );
    expect(edition()).toMatchObject({ declaration_status: 'adopted', declaration_revision: 5, version: 11 });
  });

  it('ignores the events of other streams', () => {
    spec.given({ streamId: 'proposal-p1', type: 'CommentPosted', data: { proposalId: 'p1' } });
    expect(rows('editions')).toEqual([]);
  });
});
