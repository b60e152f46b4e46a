import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DueDate } from '../actionItems/events';
import { canSee } from '../dialogue/visibility';
import { ClaimTaken, Conflict } from '../errors';
import { newId } from '../eventStore/eventId';
import { expectation, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import { Id, optionalBody, Title, Version, WriteResult } from '../http/schemas';
import type { Runtime } from '../runtime';
import * as decide from './decider';
import { editionNumberClaim } from './claims';
import { type EditionEvent, editionStream } from './events';
import { EditionParams, readRoutes } from './readRoutes';
import { type EditionState, editionDecider } from './state';

const expectedVersion = Version.optional();
/** A DELETE takes no fields but the version it was written against (or an empty body, or none). */
const VersionBody = optionalBody(z.strictObject({ expectedVersion }));
const Delegates = z
  .array(Title(200))
  .min(1)
  .max(50)
  .refine((names) => new Set(names).size === names.length, 'must not name a delegate twice');

const ScheduleBody = z.strictObject({
  number: z.number().int().min(1).max(1_000_000),
  title: Title(200),
  startsOn: DueDate,
  endsOn: DueDate,
  venue: Title(200),
  hostEntityId: Id.optional(),
});

/** Editions: the Dialogue's yearly meetings, their agenda, who attended, and the report of the year. */
export async function editionRoutes(parent: FastifyInstance, runtime: Runtime): Promise<void> {
  // Registered in this order, which is the order of the OpenAPI document's paths.
  scheduleRoute(parent, runtime);
  readRoutes(parent, runtime);
  agendaRoutes(parent, runtime);
  attendanceRoutes(parent, runtime);
}

/** A command on an edition's stream, decided by the secretariat's route. */
function editionCommand(
  request: FastifyRequest,
  editionId: string,
  statusCode: number,
  decision: (state: EditionState) => EditionEvent[],
) {
  return {
    streamId: editionStream(editionId),
    decider: editionDecider,
    statusCode,
    decide: decision,
    expected: expectation(request, (request.body as { expectedVersion?: number } | undefined)?.expectedVersion),
  };
}

function scheduleRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory, editions } = runtime;
  app.post('/editions', {
    config: { location: ({ id }) => `/editions/${id}` },
    schema: {
      tags: ['editions'],
      operationId: 'scheduleEdition',
      summary: 'Schedule an edition of the Dialogue (secretariat)',
      body: ScheduleBody,
      response: { 201: WriteResult.extend({ id: z.string() }), ...problems(403) },
    },
    handler: async (request, reply) => {
      const { hostEntityId = null, ...fields } = request.body;
      const editionId = newId();
      const host = hostEntityId === null ? undefined : directory.entity(hostEntityId);
      const command = editionCommand(request, editionId, 201, (state) =>
        // Read when deciding, so that the check is as late as it can be.
        decide.scheduleEdition(state, request.actor, {
          ...fields,
          editionId,
          hostEntityId,
          host,
          numberTakenBy: editions.idOfNumber(fields.number),
        }),
      );
      try {
        return sendResponse(
          reply,
          await runtime.commands.handle(writeContext(request), {
            ...command,
            body: { id: editionId },
            claims: [editionNumberClaim(fields.number)],
          }),
        );
      } catch (error) {
        // Two editions with one number decided at once: the view's unique number refuses the second append.
        const taken = editions.idOfNumber(fields.number);
        if (taken !== undefined && taken !== editionId && isUniqueViolation(error))
          throw new Conflict(`edition number ${fields.number} is already edition '${taken}'`);
        throw error;
      }
    },
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof ClaimTaken ||
    (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}

const AgendaParams = z.strictObject({ id: Id, proposalId: Id });

function agendaRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory, proposals } = runtime;
  app.post('/editions/:id/agenda', {
    schema: {
      tags: ['editions'],
      operationId: 'addAgendaItem',
      summary: "Put a proposal of either group on an edition's agenda (secretariat)",
      params: EditionParams,
      body: z.strictObject({ proposalId: Id, expectedVersion }),
      response: { 201: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const { proposalId } = request.body;
      const facts = proposals.facts(proposalId);
      const proposal = facts && canSee(directory, request.actor, facts) ? facts : undefined;
      const command = editionCommand(request, editionId, 201, (state) =>
        decide.addAgendaItem(state, request.actor, { editionId, proposalId, proposal }),
      );
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });

  app.delete('/editions/:id/agenda/:proposalId', {
    schema: {
      tags: ['editions'],
      operationId: 'removeAgendaItem',
      summary: "Take a proposal off an edition's agenda (secretariat)",
      params: AgendaParams,
      body: VersionBody,
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id: editionId, proposalId } = request.params;
      const command = editionCommand(request, editionId, 200, (state) =>
        decide.removeAgendaItem(state, request.actor, { editionId, proposalId }),
      );
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });
}

const AttendanceParams = z.strictObject({ id: Id, entityId: Id });

function attendanceRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory } = runtime;
  app.post('/editions/:id/attendance', {
    schema: {
      tags: ['editions'],
      operationId: 'recordAttendance',
      summary: "Record an entity's attendance and its delegates, or replace its delegates (secretariat)",
      params: EditionParams,
      body: z.strictObject({ entityId: Id, delegates: Delegates, expectedVersion }),
      response: { 201: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const { entityId, delegates } = request.body;
      const entity = directory.entity(entityId);
      const command = editionCommand(request, editionId, 201, (state) =>
        decide.recordAttendance(state, request.actor, { editionId, entityId, entity, delegates }),
      );
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });

  app.delete('/editions/:id/attendance/:entityId', {
    schema: {
      tags: ['editions'],
      operationId: 'withdrawAttendance',
      summary: "Withdraw an entity's recorded attendance (secretariat)",
      params: AttendanceParams,
      body: VersionBody,
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id: editionId, entityId } = request.params;
      const command = editionCommand(request, editionId, 200, (state) =>
        decide.withdrawAttendance(state, request.actor, { editionId, entityId }),
      );
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });
}
