import type { FastifyInstance } from 'fastify';
import { utcDay } from '../../src/actionItems/queries';
import { ENTITIES } from '../../src/dialogue/reference';
import type { ActorRef, Role } from '../../src/eventStore/types';
import type { Runtime } from '../../src/runtime';
import { issueToken } from '../../src/tokens/tokens';
import { fillEdition } from './edition';
import { OPERATIONAL } from './operational';
import { type ActionItemScript, CHAIRS, type GroupId, MEETING_ACTION_ITEMS, type ProposalScript } from './scenario';
import { STRATEGIC } from './strategic';

const PROPOSALS = [...STRATEGIC, ...OPERATIONAL];

export interface Person {
  role: Role;
  entityId: string | null;
  person: string;
  token: string;
}

type Json = Record<string, unknown>;

/**
 * Writes the demo Dialogue through the service's own HTTP routes (`app.inject`), so that every event passes
 * the same validation, rules and projections as a user's; tokens come from the token path.
 */
export class DemoFiller {
  private readonly people = new Map<string, Person>();
  /** The dialogue-wide proposals adopted, in the order they were decided: the demo edition's agenda. */
  private readonly adopted: string[] = [];
  private readonly today: string;

  constructor(
    private readonly app: FastifyInstance,
    private readonly runtime: Runtime,
    private readonly issuedBy: ActorRef,
    private readonly progress: (line: string) => void,
  ) {
    this.today = utcDay(runtime.clock());
  }

  /** Fills the Dialogue and returns everyone who received a token, by entity id (or role for overseers). */
  async fill(): Promise<Map<string, Person>> {
    for (const entity of ENTITIES) await this.issue('delegate', entity.id, `Delegate of ${entity.id.toUpperCase()}`);
    await this.issue('secretariat', null, 'Dialogue secretariat officer');
    await this.issue('auditor', null, 'Dialogue auditor');
    this.progress(`demo: ${this.people.size} tokens issued`);
    for (const [groupId, chairs] of Object.entries(CHAIRS)) {
      for (const entityId of chairs) await this.call('secretariat', 'POST', `/groups/${groupId}/chairs`, { entityId });
    }
    for (const [index, script] of PROPOSALS.entries()) {
      await this.proposal(script);
      if ((index + 1) % 10 === 0) this.progress(`demo: ${index + 1}/${PROPOSALS.length} proposals`);
    }
    for (const { group, ...item } of MEETING_ACTION_ITEMS)
      await this.actionItem(group, CHAIRS[group][0] ?? '', item, undefined);
    this.progress(`demo: ${PROPOSALS.length} proposals and their action items written`);
    await fillEdition(
      (who, method, url, payload) => this.call(who, method, url, payload),
      this.adopted,
      this.runtime.clock(),
    );
    this.progress('demo: an edition with its declaration under silence written');
    return this.people;
  }

  private async issue(role: Role, entityId: string | null, person: string): Promise<void> {
    const { token } = await issueToken(
      this.runtime.store,
      this.runtime.directory,
      { role, entityId, person },
      this.issuedBy,
      `demo-token-${this.people.size + 1}`,
    );
    this.people.set(entityId ?? role, { role, entityId, person, token });
  }

  private async call(who: string, method: 'POST' | 'DELETE', url: string, payload?: Json): Promise<Json> {
    const person = this.people.get(who);
    if (!person) throw new Error(`no token for ${who}`);
    const response = await this.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${person.token}` },
      ...(payload ? { payload } : {}),
    });
    if (response.statusCode >= 300)
      throw new Error(`${who} ${method} ${url} answered ${response.statusCode}: ${response.body}`);
    return response.json<Json>();
  }

  private async proposal(script: ProposalScript): Promise<void> {
    const { author, group } = script;
    const created = await this.call(author, 'POST', `/groups/${group}/proposals`, {
      title: script.title,
      body: script.body,
      pillars: script.pillars,
      visibility: script.visibility ?? 'dialogue',
    });
    const url = `/proposals/${String(created.id)}`;
    const comments = script.comments ?? [];
    const commentIds: string[] = [];
    const comment = async (index: number) => {
      const { by, body, replyTo } = comments[index] ?? { by: '', body: '' };
      const posted = await this.call(by, 'POST', `${url}/comments`, {
        body,
        replyTo: replyTo === undefined ? null : commentIds[replyTo],
      });
      commentIds.push(String(posted.commentId));
    };
    const beforeRevision = script.revision?.afterComments ?? comments.length;
    for (let index = 0; index < beforeRevision; index += 1) await comment(index);
    if (script.revision) {
      const { title, body } = script.revision;
      await this.call(author, 'POST', `${url}/revisions`, {
        ...(title ? { title } : {}),
        body,
        expectedVersion: commentIds.length + 1,
      });
    }
    for (const [entity, note] of script.endorsements ?? [])
      await this.call(entity, 'POST', `${url}/endorsements`, note ? { note } : {});
    for (const [entity, reason] of script.objections ?? [])
      await this.call(entity, 'POST', `${url}/objections`, { reason });
    for (let index = beforeRevision; index < comments.length; index += 1) await comment(index);
    for (const entity of script.retracted ?? []) {
      const objected = (script.objections ?? []).some(([objector]) => objector === entity);
      await this.call(entity, 'DELETE', `${url}/${objected ? 'objections' : 'endorsements'}`);
    }
    const { outcome } = script;
    if (outcome?.status === 'withdrawn')
      await this.call(author, 'POST', `${url}/withdrawal`, { reason: outcome.reason });
    else if (outcome)
      await this.call(outcome.by, 'POST', `${url}/decision`, {
        outcome: outcome.status,
        note: outcome.note,
        override: outcome.override ?? false,
      });
    const chair = outcome?.status === 'adopted' ? outcome.by : '';
    if (outcome?.status === 'adopted' && (script.visibility ?? 'dialogue') === 'dialogue')
      this.adopted.push(String(created.id));
    for (const item of script.actionItems ?? []) await this.actionItem(group, chair, item, String(created.id));
  }

  private async actionItem(
    group: GroupId,
    chair: string,
    item: ActionItemScript,
    proposalId: string | undefined,
  ): Promise<void> {
    const opened = await this.call(chair, 'POST', `/groups/${group}/action-items`, {
      title: item.title,
      ownerEntityId: item.owner,
      dueDate: this.day(item.due),
      ...(proposalId ? { proposalId } : {}),
    });
    const url = `/action-items/${String(opened.id)}`;
    if (item.moved)
      await this.call(chair, 'POST', `${url}/due-date`, {
        dueDate: this.day(item.moved.due),
        reason: item.moved.reason,
      });
    for (const [percent, note] of item.progress ?? [])
      await this.call(item.owner, 'POST', `${url}/progress`, { percent, note });
    if (item.completed) await this.call(item.owner, 'POST', `${url}/completion`, { note: item.completed });
    if (item.reopened) await this.call(chair, 'POST', `${url}/reopening`, { reason: item.reopened });
    if (item.cancelled) await this.call(chair, 'POST', `${url}/cancellation`, { reason: item.cancelled });
  }

  /** A date `days` from today (UTC), as due dates are written. */
  private day(days: number): string {
    const date = new Date(`${this.today}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return utcDay(date);
  }
}
