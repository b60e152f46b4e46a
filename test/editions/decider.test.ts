import { describe, it } from 'vitest';
import type { EntityRow } from '../../src/dialogue/directory';
import * as decide from '../../src/editions/decider';
import type { EditionEvent } from '../../src/editions/events';
import { evolve, initialState } from '../../src/editions/state';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../src/errors';
import { givenFor } from '../support/decider';

const given = givenFor<typeof initialState, EditionEvent>({ initialState, evolve });

const secretariat = { role: 'secretariat' as const };
const delegate = { role: 'delegate' as const };
const auditor = { role: 'auditor' as const };
const editionId = 'e1';

const scheduled: EditionEvent = {
  type: 'EditionScheduled',
  data: {
    editionId,
    number: 6,
    title: 'Sixth',
    startsOn: '2026-05-12',
    endsOn: '2026-05-14',
    venue: 'Lyon',
    hostEntityId: null,
  },
};
const schedule: decide.ScheduleEdition = {
  editionId,
  number: 6,
  title: 'Sixth',
  startsOn: '2026-05-12',
  endsOn: '2026-05-14',
  venue: 'Lyon',
  hostEntityId: null,
  host: undefined,
  numberTakenBy: undefined,
};
const europol: EntityRow = { id: 'europol', name: 'EUROPOL', kind: 'member' };
const unodc: EntityRow = { id: 'unodc', name: 'UNODC', kind: 'observer' };
const proposal = { id: 'p1', groupId: 'strategic', visibility: 'members' as const };
const onAgenda: EditionEvent = {
  type: 'AgendaItemAdded',
  data: { editionId, proposalId: 'p1', groupId: 'strategic', visibility: 'members' },
};
const attended: EditionEvent = {
  type: 'AttendanceRecorded',
  data: { editionId, entityId: 'europol', entityKind: 'member', delegates: ['Ana'] },
};
const drafted: EditionEvent = { type: 'DeclarationDrafted', data: { editionId, revision: 1, paragraphs: [] } };
const silence: EditionEvent = {
  type: 'SilenceProcedureOpened',
  data: { editionId, revision: 1, until: '2026-05-15T09:00:00.000Z' },
};
const ended = (outcome: 'adopted' | 'broken'): EditionEvent => ({
  type: 'SilenceProcedureEnded',
  data: {
    editionId,
    outcome,
    revision: 1,
    dueAt: '2026-05-15T09:00:00.000Z',
    firedAt: '2026-05-15T09:00:00.000Z',
    adoptedBy: outcome === 'adopted' ? ['europol'] : [],
    textHash: null,
    signature: null,
  },
});
const adopted = [drafted, silence, ended('adopted')];

describe('scheduleEdition', () => {
  it('schedules an edition', () => {
    given().when(decide.scheduleEdition, secretariat, schedule).then([scheduled]);
  });
  it('schedules it with its host entity', () => {
    given()
      .when(decide.scheduleEdition, secretariat, { ...schedule, hostEntityId: 'europol', host: europol })
      .then([{ ...scheduled, data: { ...scheduled.data, hostEntityId: 'europol' } } as EditionEvent]);
  });
  it('refuses anyone but the secretariat', () => {
    given()
      .when(decide.scheduleEdition, delegate, schedule)
      .thenThrows(Forbidden, /secretariat/);
    given().when(decide.scheduleEdition, auditor, schedule).thenThrows(Forbidden);
  });
  it('refuses an end before the start', () => {
    given()
      .when(decide.scheduleEdition, secretariat, { ...schedule, endsOn: '2026-05-11' })
      .thenThrows(BadRequest);
  });
  it('refuses an unknown host entity', () => {
    given()
      .when(decide.scheduleEdition, secretariat, { ...schedule, hostEntityId: 'nowhere' })
      .thenThrows(BadRequest, /host/);
  });
  it('refuses a number another edition has', () => {
    given()
      .when(decide.scheduleEdition, secretariat, { ...schedule, numberTakenBy: 'e0' })
      .thenThrows(Conflict, /e0/);
  });
  it('refuses an edition that already exists', () => {
    given(scheduled).when(decide.scheduleEdition, secretariat, schedule).thenThrows(Conflict);
  });
});

describe('addAgendaItem', () => {
  const command = { editionId, proposalId: 'p1', proposal };
  it('puts a proposal on the agenda with its group and visibility', () => {
    given(scheduled).when(decide.addAgendaItem, secretariat, command).then([onAgenda]);
  });
  it('puts a proposal back after it was taken off', () => {
    const removed: EditionEvent = { ...onAgenda, type: 'AgendaItemRemoved' } as EditionEvent;
    given(scheduled, onAgenda, removed).when(decide.addAgendaItem, secretariat, command).then([onAgenda]);
  });
  it('refuses an unknown edition before anything else', () => {
    given()
      .when(decide.addAgendaItem, delegate, command)
      .thenThrows(NotFound, /edition/);
  });
  it('refuses anyone but the secretariat', () => {
    given(scheduled).when(decide.addAgendaItem, delegate, command).thenThrows(Forbidden);
  });
  it('refuses a proposal that does not exist or is hidden', () => {
    given(scheduled)
      .when(decide.addAgendaItem, secretariat, { ...command, proposal: undefined })
      .thenThrows(NotFound, /p1/);
  });
  it('refuses a proposal already on the agenda', () => {
    given(scheduled, onAgenda)
      .when(decide.addAgendaItem, secretariat, command)
      .thenThrows(Conflict, /already/);
  });
  it('refuses a change once the declaration is adopted', () => {
    given(scheduled, ...adopted)
      .when(decide.addAgendaItem, secretariat, command)
      .thenThrows(Conflict, /adopted/);
  });
  it('accepts a change while the declaration is drafted, or after a broken silence', () => {
    given(scheduled, drafted).when(decide.addAgendaItem, secretariat, command).then([onAgenda]);
    given(scheduled, drafted, silence, ended('broken'))
      .when(decide.addAgendaItem, secretariat, command)
      .then([onAgenda]);
  });
});

describe('removeAgendaItem', () => {
  const command = { editionId, proposalId: 'p1' };
  it('takes a proposal off the agenda', () => {
    given(scheduled, onAgenda)
      .when(decide.removeAgendaItem, secretariat, command)
      .then([{ ...onAgenda, type: 'AgendaItemRemoved' } as EditionEvent]);
  });
  it('refuses an unknown edition', () => {
    given().when(decide.removeAgendaItem, secretariat, command).thenThrows(NotFound);
  });
  it('refuses anyone but the secretariat', () => {
    given(scheduled, onAgenda).when(decide.removeAgendaItem, delegate, command).thenThrows(Forbidden);
  });
  it('refuses a proposal not on the agenda', () => {
    given(scheduled)
      .when(decide.removeAgendaItem, secretariat, command)
      .thenThrows(NotFound, /not on the agenda/);
  });
  it('refuses a change once the declaration is adopted', () => {
    given(scheduled, onAgenda, ...adopted)
      .when(decide.removeAgendaItem, secretariat, command)
      .thenThrows(Conflict);
  });
});

describe('recordAttendance', () => {
  const command = { editionId, entityId: 'europol', entity: europol, delegates: ['Ana'] };
  it('records a member entity with its delegates', () => {
    given(scheduled).when(decide.recordAttendance, secretariat, command).then([attended]);
  });
  it('records an observer entity as an observer', () => {
    given(scheduled)
      .when(decide.recordAttendance, secretariat, { ...command, entityId: 'unodc', entity: unodc })
      .then([
        {
          type: 'AttendanceRecorded',
          data: { editionId, entityId: 'unodc', entityKind: 'observer', delegates: ['Ana'] },
        },
      ]);
  });
  it('replaces the delegates of an entity already attending', () => {
    given(scheduled, attended)
      .when(decide.recordAttendance, secretariat, { ...command, delegates: ['Ben'] })
      .then([
        {
          type: 'AttendanceRecorded',
          data: { editionId, entityId: 'europol', entityKind: 'member', delegates: ['Ben'] },
        },
      ]);
  });
  it('refuses the same delegates again', () => {
    given(scheduled, attended)
      .when(decide.recordAttendance, secretariat, command)
      .thenThrows(Conflict, /already/);
  });
  it('refuses an unknown edition', () => {
    given().when(decide.recordAttendance, secretariat, command).thenThrows(NotFound);
  });
  it('refuses anyone but the secretariat', () => {
    given(scheduled).when(decide.recordAttendance, delegate, command).thenThrows(Forbidden);
  });
  it('refuses an unknown entity', () => {
    given(scheduled)
      .when(decide.recordAttendance, secretariat, { ...command, entityId: 'nowhere', entity: undefined })
      .thenThrows(BadRequest, /unknown entity/);
  });
  it('refuses a change once the declaration is adopted', () => {
    given(scheduled, ...adopted)
      .when(decide.recordAttendance, secretariat, command)
      .thenThrows(Conflict, /adopted/);
  });
});

describe('withdrawAttendance', () => {
  const command = { editionId, entityId: 'europol' };
  it('withdraws an entity', () => {
    given(scheduled, attended)
      .when(decide.withdrawAttendance, secretariat, command)
      .then([{ type: 'AttendanceWithdrawn', data: { editionId, entityId: 'europol' } }]);
  });
  it('refuses an unknown edition', () => {
    given().when(decide.withdrawAttendance, secretariat, command).thenThrows(NotFound);
  });
  it('refuses anyone but the secretariat', () => {
    given(scheduled, attended).when(decide.withdrawAttendance, delegate, command).thenThrows(Forbidden);
  });
  it('refuses an entity that is not attending', () => {
    given(scheduled)
      .when(decide.withdrawAttendance, secretariat, command)
      .thenThrows(NotFound, /not recorded/);
  });
  it('refuses a change once the declaration is adopted', () => {
    given(scheduled, attended, ...adopted)
      .when(decide.withdrawAttendance, secretariat, command)
      .thenThrows(Conflict);
  });
});
