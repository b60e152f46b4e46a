import { z } from 'zod';
import { expectation, sendResponse } from '../../http/command';
import { problems } from '../../http/openapi';
import { Text, Version, WriteResult } from '../../http/schemas';
import * as decide from './decider';
import { type DeclarationRouteContext, EditionParams } from './routeContext';

const tags = ['declarations'];
/** An instant with its offset; stored as UTC ISO so that views, the scheduler and `until === dueAt` agree. */
const Instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

/** The silence procedure: opened by the secretariat, broken by attending member entities, ended by the server. */
export function silenceRoutes({ app, runtime, command }: DeclarationRouteContext): void {
  app.post('/editions/:id/declaration/silence', {
    schema: {
      tags,
      operationId: 'openSilenceProcedure',
      summary: 'Freeze the text and open a silence procedure until `until`, at least an hour ahead (the secretariat)',
      params: EditionParams,
      body: z.strictObject({ until: Instant, expectedVersion: Version.optional() }),
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const now = runtime.clock().toISOString();
      const { until } = request.body;
      const response = await command(
        request,
        editionId,
        200,
        (state) => decide.openSilence(state, request.actor, { editionId, until, now }),
        { expected: expectation(request, request.body.expectedVersion) },
      );
      return sendResponse(reply, response);
    },
  });
  app.post('/editions/:id/declaration/silence/breaks', {
    schema: {
      tags,
      operationId: 'breakSilence',
      summary: 'Break silence, with a reason (a delegate of a member entity that attended)',
      params: EditionParams,
      body: z.strictObject({ reason: Text(4_000) }),
      response: { 201: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const now = runtime.clock().toISOString();
      const { reason } = request.body;
      const response = await command(request, editionId, 201, (state) =>
        decide.breakSilence(state, request.actor, { editionId, reason, now }),
      );
      return sendResponse(reply, response);
    },
  });
}
