import { z } from 'zod';
import { expectation, sendResponse } from '../http/command';
import { problems } from '../http/openapi';
import { Text, Version, WriteResult } from '../http/schemas';
import { rescheduleConsultation } from './consultation';
import { DeadlineAt, ProposalParams, type ProposalRouteContext, utcInstant } from './routeContext';

/** The consultation's deadline, moved or removed by a chair of the proposal's group. */
export function consultationRoutes({ app, command, clock }: ProposalRouteContext): void {
  app.post('/proposals/:id/closes-at', {
    schema: {
      tags: ['proposals'],
      operationId: 'rescheduleConsultation',
      summary: "Move or remove the end of a proposal's consultation, with a reason (a chair of its group)",
      description:
        'A new `closesAt` in the future reopens a consultation that had closed; `null` removes the deadline. A `closesAt` not after now, or the current one, is refused with 400; a proposal no longer open with 409.',
      params: ProposalParams,
      body: z.strictObject({
        closesAt: DeadlineAt.nullable(),
        reason: Text(4_000),
        expectedVersion: Version.optional(),
      }),
      response: { 200: WriteResult, ...problems(403, 404) },
    },
    handler: async (request, reply) => {
      const { id } = request.params;
      const { closesAt, reason, expectedVersion } = request.body;
      const given = { closesAt: closesAt === null ? null : utcInstant(closesAt), reason, now: clock().toISOString() };
      const response = await command(
        request,
        id,
        200,
        (state, who) => rescheduleConsultation(state, who, { proposalId: id, ...given }),
        { expected: expectation(request, expectedVersion) },
      );
      return sendResponse(reply, response);
    },
  });
}
