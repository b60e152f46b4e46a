import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PreconditionRequired } from '../../errors';
import { expectation, sendResponse } from '../../http/command';
import { problems } from '../../http/openapi';
import { optionalBody, Text, Version, WriteResult } from '../../http/schemas';
import type { Runtime } from '../../runtime';
import type { EditionState } from '../state';
import { PARAGRAPH_MAX } from './bounds';
import * as decide from './decider';
import { documentRoutes } from './documentRoutes';
import { readRoutes } from './readRoutes';
import { type DeclarationRouteContext, declarationRouteContext, EditionParams, ParagraphParams } from './routeContext';
import { silenceRoutes } from './silenceRoutes';

const tags = ['declarations'];
const ParagraphText = Text(PARAGRAPH_MAX);
const expectedVersion = Version.optional();
const PRECONDITION =
  'Several hands edit one text: the write must say which version it changes, `If-Match: W/"<version>"` (412 when stale) or `expectedVersion` in the body (409 when stale); without either it is refused with 428.';

/** The outcome declaration of an edition: drafted, edited, put under silence, adopted by the scheduler. */
export async function declarationRoutes(parent: FastifyInstance, runtime: Runtime): Promise<void> {
  const context = declarationRouteContext(parent, runtime);
  // Registered in this order, which is the order of the OpenAPI document's paths.
  draftRoute(context);
  readRoutes(context);
  paragraphRoutes(context);
  silenceRoutes(context);
  documentRoutes(context);
}

function draftRoute({ app, runtime, command }: DeclarationRouteContext): void {
  app.post('/editions/:id/declaration', {
    config: { location: ({ id }) => `/editions/${id}/declaration` },
    schema: {
      tags,
      operationId: 'draftDeclaration',
      summary: "Draft the edition's declaration: a paragraph per adopted proposal on the agenda (the secretariat)",
      params: EditionParams,
      body: optionalBody(z.strictObject({ expectedVersion })),
      response: { 201: WriteResult.extend({ id: z.string() }), ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const wording = (state: EditionState) =>
        new Map(
          state.agenda.flatMap(({ proposalId }) => {
            const proposal = runtime.declarations.proposalWording(proposalId);
            return proposal ? [[proposalId, proposal] as const] : [];
          }),
        );
      const response = await command(
        request,
        editionId,
        201,
        (state) => decide.draftDeclaration(state, request.actor, { editionId, proposals: wording(state) }),
        { expected: expectation(request, request.body.expectedVersion), body: { id: editionId } },
      );
      return sendResponse(reply, response);
    },
  });
}

/** Several hands edit one text: a paragraph write names the version it changes. */
function required(expected: ReturnType<typeof expectation>) {
  if (!expected) throw new PreconditionRequired();
  return { expected };
}

function paragraphRoutes(context: DeclarationRouteContext): void {
  addRoute(context);
  changeRoutes(context);
}

function addRoute({ app, command }: DeclarationRouteContext): void {
  app.post('/editions/:id/declaration/paragraphs', {
    schema: {
      tags,
      operationId: 'addDeclarationParagraph',
      summary: 'Add a paragraph after paragraph `after` (0: first; omitted: last) (the secretariat)',
      description: PRECONDITION,
      params: EditionParams,
      body: z.strictObject({ text: ParagraphText, after: z.number().int().min(0).optional(), expectedVersion }),
      response: { 201: WriteResult.extend({ n: z.number().int() }), ...problems(403, 404, 428) },
    },
    handler: async (request, reply) => {
      const editionId = request.params.id;
      const { text, after } = request.body;
      // The new paragraph's number is known once decided: the answer's body is filled by the decision, before
      // the append keeps it (for an Idempotency-Key replay).
      const body: { n?: number } = {};
      const decision = (state: EditionState) => {
        const events = decide.addParagraph(state, request.actor, { editionId, text, after });
        const added = events[0];
        if (added?.type === 'DeclarationParagraphAdded') body.n = added.data.n;
        return events;
      };
      const options = { ...required(expectation(request, request.body.expectedVersion)), body };
      const response = await command(request, editionId, 201, decision, options);
      return sendResponse(reply, response);
    },
  });
}

function changeRoutes({ app, command }: DeclarationRouteContext): void {
  app.put('/editions/:id/declaration/paragraphs/:n', {
    schema: {
      tags,
      operationId: 'editDeclarationParagraph',
      summary: "Replace a paragraph's text (the secretariat)",
      description: PRECONDITION,
      params: ParagraphParams,
      body: z.strictObject({ text: ParagraphText, expectedVersion }),
      response: { 200: WriteResult, ...problems(403, 404, 428) },
    },
    handler: async (request, reply) => {
      const { id: editionId, n } = request.params;
      const options = required(expectation(request, request.body.expectedVersion));
      const decision = (state: EditionState) =>
        decide.editParagraph(state, request.actor, { editionId, n, text: request.body.text });
      return sendResponse(reply, await command(request, editionId, 200, decision, options));
    },
  });
  app.delete('/editions/:id/declaration/paragraphs/:n', {
    schema: {
      tags,
      operationId: 'removeDeclarationParagraph',
      summary: 'Remove a paragraph; those after it move up one (the secretariat)',
      description: PRECONDITION,
      params: ParagraphParams,
      response: { 200: WriteResult, ...problems(403, 404, 428) },
    },
    handler: async (request, reply) => {
      const { id: editionId, n } = request.params;
      const options = required(expectation(request, undefined));
      const decision = (state: EditionState) => decide.removeParagraph(state, request.actor, { editionId, n });
      return sendResponse(reply, await command(request, editionId, 200, decision, options));
    },
  });
  app.post('/editions/:id/declaration/paragraphs/:n/move', {
    schema: {
      tags,
      operationId: 'moveDeclarationParagraph',
      summary: 'Move a paragraph to place `to`; those between move up or down one (the secretariat)',
      description: PRECONDITION,
      params: ParagraphParams,
      body: z.strictObject({ to: z.number().int(), expectedVersion }),
      response: { 200: WriteResult, ...problems(403, 404, 428) },
    },
    handler: async (request, reply) => {
      const { id: editionId, n } = request.params;
      const options = required(expectation(request, request.body.expectedVersion));
      const decision = (state: EditionState) =>
        decide.moveParagraph(state, request.actor, { editionId, n, to: request.body.to });
      return sendResponse(reply, await command(request, editionId, 200, decision, options));
    },
  });
}
