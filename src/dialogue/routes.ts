import { readyRoute } from '../http/ready';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFound } from '../errors';
import { requireRole } from '../http/auth';
import { expectation, sendResponse, writeContext } from '../http/command';
import { problems } from '../http/openapi';
import { GroupParams, Id, optionalBody, Version, WriteResult } from '../http/schemas';
import type { Runtime } from '../runtime';
import type { Directory } from './directory';
import { addParticipant, appointChair, groupDecider, type GroupState, removeChair, removeParticipant } from './decider';
import { type GroupEvent, groupStream } from './events';
import { Entity, Group, Me } from './views';

const EntityBody = z.strictObject({ entityId: Id, expectedVersion: Version.optional() });
/** A DELETE takes no fields but the version it was written against (or an empty body, or none). */
const VersionBody = optionalBody(z.strictObject({ expectedVersion: Version.optional() }));
const GroupEntityParams = z.strictObject({ groupId: Id, entityId: Id });

/** The entity a command names: a 404 when there is no such entity. */
function entityFacts(directory: Directory, entityId: string) {
  const entity = directory.entity(entityId);
  if (!entity) throw new NotFound(`no entity '${entityId}'`);
  return entity;
}

const groupCommand = (
  request: FastifyRequest,
  groupId: string,
  statusCode: number,
  decide: (state: GroupState) => GroupEvent[],
) => ({
  streamId: groupStream(groupId),
  decider: groupDecider,
  statusCode,
  decide,
  // The group's stream version: every chair and participation change moves it, and its response says it.
  expected: expectation(request, (request.body as { expectedVersion?: number } | undefined)?.expectedVersion),
});

/** Reference data and the secretariat's work on it: chairs and participation. */
export async function dialogueRoutes(parent: FastifyInstance, runtime: Runtime): Promise<void> {
  // Registered in this order, which is the order of the OpenAPI document's paths.
  healthRoute(parent, runtime);
  readyRoute(parent, runtime);
  referenceRoutes(parent, runtime);
  chairRoutes(parent, runtime);
  participantRoutes(parent, runtime);
}

function healthRoute(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { store } = runtime;
  app.get('/health', {
    config: { public: true },
    schema: {
      tags: ['service'],
      operationId: 'getHealth',
      summary: 'Liveness and the head position of the log (no token)',
      security: [],
      response: { 200: z.object({ status: z.literal('ok'), position: z.number().int() }) },
    },
    handler: async () => ({ status: 'ok' as const, position: store.reader.head().position }),
  });
}

/** The entities, the caller, and the groups with their chairs and participants. */
function referenceRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const queries = runtime.dialogue;
  app.get('/entities', {
    schema: {
      tags: ['dialogue'],
      operationId: 'listEntities',
      summary: 'List the entities of the Dialogue',
      response: { 200: z.array(Entity) },
    },
    handler: async () => runtime.directory.entities(),
  });

  app.get('/me', {
    schema: {
      tags: ['dialogue'],
      operationId: 'getMe',
      summary: 'Who the token speaks for: its role, entity and person',
      response: { 200: Me },
    },
    handler: async (request) => {
      const { role, entityId, entityKind, person } = request.actor;
      return { role, entityId, entityKind, person };
    },
  });

  app.get('/groups', {
    schema: {
      tags: ['dialogue'],
      operationId: 'listGroups',
      summary: 'List the working groups with their chairs and participants',
      response: { 200: z.array(Group) },
    },
    handler: async () => queries.groups(),
  });
}

function chairRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory } = runtime;
  app.post('/groups/:groupId/chairs', {
    schema: {
      tags: ['dialogue'],
      operationId: 'addChair',
      summary: 'Make a participating member entity chair of a group (secretariat)',
      params: GroupParams,
      body: EntityBody,
      response: { 201: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'secretariat');
      const { groupId } = request.params;
      const entity = entityFacts(directory, request.body.entityId);
      const command = groupCommand(request, groupId, 201, (state) => appointChair(state, groupId, entity));
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });

  app.delete('/groups/:groupId/chairs/:entityId', {
    schema: {
      tags: ['dialogue'],
      operationId: 'removeChair',
      summary: 'Stop an entity chairing a group (secretariat)',
      params: GroupEntityParams,
      body: VersionBody,
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'secretariat');
      const { groupId, entityId } = request.params;
      entityFacts(directory, entityId);
      const command = groupCommand(request, groupId, 200, (state) => removeChair(state, groupId, entityId));
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });
}

function participantRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { directory } = runtime;
  app.post('/groups/:groupId/participants', {
    schema: {
      tags: ['dialogue'],
      operationId: 'addParticipant',
      summary: 'Add an entity to a group (secretariat)',
      params: GroupParams,
      body: EntityBody,
      response: { 201: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'secretariat');
      const { groupId } = request.params;
      const entity = entityFacts(directory, request.body.entityId);
      const command = groupCommand(request, groupId, 201, (state) => addParticipant(state, groupId, entity));
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });

  app.delete('/groups/:groupId/participants/:entityId', {
    schema: {
      tags: ['dialogue'],
      operationId: 'removeParticipant',
      summary: 'Remove an entity from a group; it stops chairing (secretariat)',
      params: GroupEntityParams,
      body: VersionBody,
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'secretariat');
      const { groupId, entityId } = request.params;
      entityFacts(directory, entityId);
      const command = groupCommand(request, groupId, 200, (state) => removeParticipant(state, groupId, entityId));
      return sendResponse(reply, await runtime.commands.handle(writeContext(request), command));
    },
  });
}
