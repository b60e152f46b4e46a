import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ClientExpectation } from '../../commands/handler';
import { canSee } from '../../dialogue/visibility';
import { NotFound } from '../../errors';
import { writeContext } from '../../http/command';
import { Id } from '../../http/schemas';
import type { Runtime } from '../../runtime';
import { type EditionEvent, editionStream } from '../events';
import { type EditionState, editionDecider } from '../state';
import type { StoredDeclaration } from './queries';

export const EditionParams = z.strictObject({ id: Id });
/** Any integer reaches the decision, which answers a number out of range with 404. */
export const ParagraphParams = z.strictObject({ id: Id, n: z.coerce.number().int().safe() });

export type DeclarationRouteContext = ReturnType<typeof declarationRouteContext>;

/** What the declaration's routes share: the app, the runtime, one command path, one read with visibility. */
export function declarationRouteContext(parent: FastifyInstance, runtime: Runtime) {
  const app = parent.withTypeProvider<ZodTypeProvider>();

  /** Runs one decision against the edition's stream. */
  const command = (
    request: FastifyRequest,
    editionId: string,
    statusCode: number,
    decision: (state: EditionState) => EditionEvent[],
    options: { expected?: ClientExpectation | undefined; body?: Record<string, unknown> } = {},
  ) =>
    runtime.commands.handle(writeContext(request), {
      streamId: editionStream(editionId),
      decider: editionDecider,
      statusCode,
      decide: decision,
      expected: options.expected,
      ...(options.body ? { body: options.body } : {}),
    });

  /** A paragraph's source as the caller may know it: a proposal it may not see is named as none. */
  const sourceFor = (request: FastifyRequest, source: string | null): string | null => {
    const facts = source === null ? undefined : runtime.proposals.facts(source);
    return facts !== undefined && canSee(runtime.directory, request.actor, facts) ? source : null;
  };

  /** The declaration as the caller may read it. */
  const readDeclaration = (request: FastifyRequest, editionId: string): StoredDeclaration => {
    const stored = runtime.declarations.view(editionId);
    if (!stored) throw new NotFound(`edition '${editionId}' has no declaration`);
    const paragraphs = stored.paragraphs.map((paragraph) => ({
      ...paragraph,
      sourceProposalId: sourceFor(request, paragraph.sourceProposalId),
    }));
    return { ...stored, paragraphs };
  };

  return { app, runtime, command, readDeclaration, sourceFor };
}
