import { describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../../src/audit/signing';
import { textHash } from '../../../src/editions/declaration/canonical';
import * as decide from '../../../src/editions/declaration/decider';
import { endSilence } from '../../../src/editions/declaration/deadline';
import type { EditionEvent } from '../../../src/editions/events';
import { evolve, initialState } from '../../../src/editions/state';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../../src/errors';
import { givenFor } from '../../support/decider';

const given = givenFor({ initialState, evolve });
const editionId = 'e1';
const secretariat = { role: 'secretariat', entityId: null, entityKind: null } as const;
const europol = { role: 'delegate', entityId: 'europol', entityKind: 'member' } as const;
const afripol = { role: 'delegate', entityId: 'afripol', entityKind: 'member' } as const;
const sco = { role: 'delegate', entityId: 'sco', entityKind: 'observer' } as const;
const auditor = { role: 'auditor', entityId: null, entityKind: null } as const;
const now = '2026-03-02T09:00:00.000Z';
const until = '2026-03-02T12:00:00.000Z';

const scheduled: EditionEvent = {
  type: 'EditionScheduled',
  data: {
    editionId,
    number: 7,
    title: 'T',
    startsOn: '2026-03-10',
    endsOn: '2026-03-11',
    venue: 'V',
    hostEntityId: null,
  },
};
const agenda = (proposalId: string): EditionEvent => ({
  type: 'AgendaItemAdded',
  data: { editionId, proposalId, groupId: 'strategic', visibility: 'dialogue' },
});
const attended = (entityId: string, entityKind: 'member' | 'observer'): EditionEvent => ({
  type: 'AttendanceRecorded',
  data: { editionId, entityId, entityKind, delegates: ['D'] },
});
const drafted: EditionEvent = {
  type: 'DeclarationDrafted',
  data: {
    editionId,
    revision: 1,
    paragraphs: [
      { text: 'One', sourceProposalId: 'p1' },
      { text: 'Two', sourceProposalId: 'p3' },
    ],
  },
};
const silenced: EditionEvent = { type: 'SilenceProcedureOpened', data: { editionId, revision: 1, until } };
const broken: EditionEvent = { type: 'SilenceBroken', data: { editionId, entityId: 'europol', reason: 'r' } };
const base = [
  scheduled,
  agenda('p1'),
  agenda('p2'),
  agenda('p3'),
  attended('europol', 'member'),
  attended('sco', 'observer'),
];

describe('drafting', () => {
  const proposals = new Map([
    ['p1', { status: 'adopted', title: 'One', body: 'First.' }],
    ['p2', { status: 'open', title: 'Open', body: 'x' }],
    ['p3', { status: 'adopted', title: 'Two', body: 'Second.' }],
  ]);
  it('drafts a paragraph per adopted proposal on the agenda, in agenda order', () => {
    given(...base)
      .when(decide.draftDeclaration, secretariat, { editionId, proposals })
      .then([
        {
          type: 'DeclarationDrafted',
          data: {
            editionId,
            revision: 1,
            paragraphs: [
              { text: 'One\n\nFirst.', sourceProposalId: 'p1' },
              { text: 'Two\n\nSecond.', sourceProposalId: 'p3' },
            ],
          },
        },
      ]);
  });
  it('refuses an unknown edition', () =>
    given().when(decide.draftDeclaration, secretariat, { editionId, proposals }).thenThrows(NotFound));
  it('refuses anyone but the secretariat', () =>
    given(...base)
      .when(decide.draftDeclaration, europol, { editionId, proposals })
      .thenThrows(Forbidden));
  it('refuses a second draft', () =>
    given(...base, drafted)
      .when(decide.draftDeclaration, secretariat, { editionId, proposals })
      .thenThrows(Conflict));
});

describe('paragraphs', () => {
  it('adds after a paragraph, first, or last, as a new revision', () => {
    given(...base, drafted)
      .when(decide.addParagraph, secretariat, { editionId, text: 'Zero', after: 0 })
      .then([{ type: 'DeclarationParagraphAdded', data: { editionId, revision: 2, n: 1, text: 'Zero' } }]);
    const [added] = given(...base, drafted)
      .when(decide.addParagraph, secretariat, { editionId, text: 'Z' })
      .events();
    expect(added).toMatchObject({ data: { n: 3 } });
  });
  it('refuses an `after` out of range', () =>
    given(...base, drafted)
      .when(decide.addParagraph, secretariat, { editionId, text: 'Z', after: 3 })
      .thenThrows(BadRequest, /paragraph 3/));
  it('refuses a paragraph out of range to edit, remove or move', () => {
    given(...base, drafted)
      .when(decide.editParagraph, secretariat, { editionId, n: 3, text: 'x' })
      .thenThrows(NotFound);
    given(...base, drafted)
      .when(decide.removeParagraph, secretariat, { editionId, n: 0 })
      .thenThrows(NotFound);
    given(...base, drafted)
      .when(decide.moveParagraph, secretariat, { editionId, n: 3, to: 1 })
      .thenThrows(NotFound);
  });
  it('refuses a place out of range and a move or edit that changes nothing', () => {
    given(...base, drafted)
      .when(decide.moveParagraph, secretariat, { editionId, n: 1, to: 3 })
      .thenThrows(BadRequest, /place 3/);
    given(...base, drafted)
      .when(decide.moveParagraph, secretariat, { editionId, n: 1, to: 1 })
      .thenThrows(BadRequest);
    given(...base, drafted)
      .when(decide.editParagraph, secretariat, { editionId, n: 1, text: 'One' })
      .thenThrows(BadRequest);
  });
  it('edits, moves and removes, each a new revision', () => {
    const edited: EditionEvent = {
      type: 'DeclarationParagraphEdited',
      data: { editionId, revision: 2, n: 2, text: 'Deux' },
    };
    given(...base, drafted)
      .when(decide.editParagraph, secretariat, { editionId, n: 2, text: 'Deux' })
      .then([edited]);
    given(...base, drafted, edited)
      .when(decide.moveParagraph, secretariat, { editionId, n: 2, to: 1 })
      .then([{ type: 'DeclarationParagraphMoved', data: { editionId, revision: 3, from: 2, to: 1 } }]);
    given(...base, drafted)
      .when(decide.removeParagraph, secretariat, { editionId, n: 1 })
      .then([{ type: 'DeclarationParagraphRemoved', data: { editionId, revision: 2, n: 1 } }]);
  });
  it('refuses changes by anyone but the secretariat, without a draft, and under silence or once adopted', () => {
    given(...base, drafted)
      .when(decide.addParagraph, europol, { editionId, text: 'x' })
      .thenThrows(Forbidden);
    given(...base)
      .when(decide.addParagraph, secretariat, { editionId, text: 'x' })
      .thenThrows(NotFound);
    given(...base, drafted, silenced)
      .when(decide.addParagraph, secretariat, { editionId, text: 'x' })
      .thenThrows(Conflict, /silence/);
    const adopted = endSilence(
      given(...base, drafted, silenced).state,
      { dueAt: until, firedAt: until },
      loadSigningKey(null),
    );
    given(...base, drafted, silenced, ...adopted)
      .when(decide.removeParagraph, secretariat, { editionId, n: 1 })
      .thenThrows(Conflict, /adopted/);
  });
});

describe('opening silence', () => {
  it('opens until at least an hour ahead, on the current revision', () =>
    given(...base, drafted)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .then([silenced]));
  it('refuses an until less than an hour ahead', () =>
    given(...base, drafted)
      .when(decide.openSilence, secretariat, { editionId, until: '2026-03-02T09:59:59.000Z', now })
      .thenThrows(BadRequest, /one hour/));
  it('refuses anyone but the secretariat, a declaration without paragraphs, and an open procedure', () => {
    given(...base, drafted)
      .when(decide.openSilence, europol, { editionId, until, now })
      .thenThrows(Forbidden);
    const empty: EditionEvent = { type: 'DeclarationDrafted', data: { editionId, revision: 1, paragraphs: [] } };
    given(...base, empty)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .thenThrows(Conflict, /no paragraph/);
    given(...base, drafted, silenced)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .thenThrows(Conflict);
    given(...base)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .thenThrows(NotFound);
  });
  it('refuses an edition no member entity attended (only an observer, or nobody)', () => {
    given(scheduled, attended('sco', 'observer'), drafted)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .thenThrows(Conflict, /no member entity attended/);
    given(scheduled, drafted)
      .when(decide.openSilence, secretariat, { editionId, until, now })
      .thenThrows(Conflict, /no member entity attended/);
  });
});

describe('breaking silence', () => {
  const command = { editionId, reason: 'r', now };
  it('lets a delegate of an attending member entity break it', () =>
    given(...base, drafted, silenced)
      .when(decide.breakSilence, europol, command)
      .then([broken]));
  it('refuses other roles, observers and members that did not attend', () => {
    given(...base, drafted, silenced)
      .when(decide.breakSilence, secretariat, command)
      .thenThrows(Forbidden, /delegates/);
    given(...base, drafted, silenced)
      .when(decide.breakSilence, auditor, command)
      .thenThrows(Forbidden);
    given(...base, drafted, silenced)
      .when(decide.breakSilence, sco, command)
      .thenThrows(Forbidden, /observer/);
    given(...base, drafted, silenced)
      .when(decide.breakSilence, afripol, command)
      .thenThrows(Forbidden, /did not attend/);
  });
  it('refuses without a procedure, at or after until, and a second break by the same entity', () => {
    given(...base, drafted)
      .when(decide.breakSilence, europol, command)
      .thenThrows(Conflict, /no silence/);
    given(...base, drafted, silenced)
      .when(decide.breakSilence, europol, { ...command, now: until })
      .thenThrows(Conflict, /ended/);
    given(...base, drafted, silenced, broken)
      .when(decide.breakSilence, europol, command)
      .thenThrows(Conflict, /already/);
  });
});

describe('ending silence', () => {
  const key = loadSigningKey(null);
  const firing = { dueAt: until, firedAt: '2026-03-02T12:00:01.000Z' };
  it('adopts an unbroken text by the attending member entities, with its hash and signature', () => {
    const [ended] = given(...base, attended('aimc', 'member'), drafted, silenced)
      .when(endSilence, firing, key)
      .events();
    expect(ended).toMatchObject({
      type: 'SilenceProcedureEnded',
      data: {
        outcome: 'adopted',
        revision: 1,
        ...firing,
        adoptedBy: ['aimc', 'europol'],
        textHash: textHash(['One', 'Two']),
      },
    });
  });
  it('ends a broken procedure as broken, with no hash', () =>
    given(...base, drafted, silenced, broken)
      .when(endSilence, firing, key)
      .then([
        {
          type: 'SilenceProcedureEnded',
          data: {
            editionId,
            outcome: 'broken',
            revision: 1,
            ...firing,
            adoptedBy: [],
            textHash: null,
            signature: null,
          },
        },
      ]));
  it('fires nothing once ended, for another until, or without a procedure', () => {
    const [ended] = given(...base, drafted, silenced)
      .when(endSilence, firing, key)
      .events();
    if (!ended) throw new Error('expected an end');
    given(...base, drafted, silenced, ended)
      .when(endSilence, firing, key)
      .then([]);
    given(...base, drafted, silenced)
      .when(endSilence, { ...firing, dueAt: now }, key)
      .then([]);
    given(...base, drafted)
      .when(endSilence, firing, key)
      .then([]);
  });
});
