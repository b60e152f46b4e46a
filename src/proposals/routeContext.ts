import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../dialogue/actor';
import { type Participant, participantOf } from '../dialogue/participant';
import { mayFind, seesMembersContent, type Visibility } from '../dialogue/visibility';
import { NotFound } from '../errors';
import type { ClientExpectation } from '../commands/handler';
import { writeContext } from '../http/command';
import { Id } from '../http/schemas';
import type { Runtime } from '../runtime';
import { proposalDecider } from './decider';
import { type ProposalEvent, proposalStream } from './events';
import { similarProposals } from './search/search';
import type { ProposalState } from './state';

export const ProposalParams = z.strictObject({ id: Id });

/** A deadline as a client gives it: a real date-time with its offset (`Z` or `+hh:mm`). */
export const DeadlineAt = z.iso.datetime({ offset: true });

/** A deadline as the log and the views hold it: UTC, milliseconds, so that deadlines compare as strings. */
export const utcInstant = (value: string): string => new Date(value).toISOString();

/** What every proposal route shares: the app, the runtime's parts, the pillars and the common steps. */
export type ProposalRouteContext = ReturnType<typeof routeContext>;

/** The proposal command's path: who asks, then the shared command handler on the proposal's stream. */
function proposalCommand({ directory, commands }: Pick<Runtime, 'directory' | 'commands'>) {
  /** Runs one decision against a proposal's stream, honouring an optional If-Match. */
  const command = (
    request: FastifyRequest,
    id: string,
    statusCode: number,
    decision: (state: ProposalState, who: Participant) => ProposalEvent[],
    options: { expected?: ClientExpectation | undefined; body?: Record<string, unknown> } = {},
  ) => {
    const who = participantOf(directory, request.actor, request.viewGeneration);
    return commands.handle(writeContext(request), {
      streamId: proposalStream(id),
      decider: proposalDecider,
      statusCode,
      decide: (state) => decision(state, who),
      expected: options.expected,
      ...(options.body ? { body: options.body } : {}),
    });
  };
  return command;
}

export function routeContext(parent: FastifyInstance, runtime: Runtime, pillars: readonly string[]) {
  const { store, directory, search, pgSearch } = runtime;
  const sqlite = runtime.db.sqlite;
  // The proposal reads, prepared once for the app's life.
  const queries = runtime.proposals;
  const Pillar = z.string().refine((pillar) => pillars.includes(pillar), {
    message: `unknown pillar; allowed: ${pillars.join(', ')}`,
  });
  /**
   * The similar proposals a submission of this text by `who` lists, in what `who` may see of every group it
   * takes part in (the submission route and its preview alike). On SQLite the new text is scored in its
   * table under the next position and never kept (the scope is read inside: the preview may create the
   * group's table); PostgreSQL's ranking needs no copy of it.
   */
  const similarTo = async (
    who: Participant,
    proposal: { groupId: string; visibility: Visibility; title: string; body: string },
  ) =>
    pgSearch
      ? pgSearch.similar(proposal, { groups: [...who.groups], includeMembers: seesMembersContent(who.actor) })
      : search.withProposal(proposal, (seq) =>
          similarProposals(
            sqlite,
            { seq, title: proposal.title, body: proposal.body },
            { tables: search.tables.visible([...who.groups], seesMembersContent(who.actor)) },
          ),
        );
  /**
   * A 404 unless the caller may see the proposal, decided from its group and visibility alone before any
   * of its view is read, so that a hidden proposal costs what a missing one does (no timing tells them apart).
   */
  const requireVisible = (actor: Actor, id: string) => {
    const facts = queries.facts(id);
    if (!mayFind(directory, actor, facts)) throw new NotFound(`no proposal '${id}'`);
  };
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const command = proposalCommand(runtime);
  const { commands, clock } = runtime;
  return {
    app,
    clock,
    store,
    directory,
    commands,
    search,
    pgSearch,
    sqlite,
    queries,
    pillars,
    Pillar,
    similarTo,
    requireVisible,
    command,
  };
}
