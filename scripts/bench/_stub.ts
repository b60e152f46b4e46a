// TEMPORARY harness stub (to be deleted): stands in for the proposals and live slices so that the
// benchmark's own machinery can be debugged before they exist.
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { nanoid } from 'nanoid';
import type { Runtime } from '../../src/runtime';
import type { StoredEvent } from '../../src/eventStore/types';

export async function registerStub(app: FastifyInstance, runtime: Runtime): Promise<void> {
  const hasWs = app.hasRoute({ method: 'GET', url: '/ws' });
  if (!hasWs) await app.register(websocket);
  if (app.hasRoute({ method: 'POST', url: '/proposals/:id/comments' })) return;
  const meta = (id: string) => ({ actor: { entityId: 'europol', person: 'x', role: 'delegate' as const }, requestId: id });
  app.post('/groups/:groupId/proposals', async (request, reply) => {
    const { groupId } = request.params as { groupId: string };
    const id = nanoid(10);
    const out = await runtime.store.append({ streamId: `proposal-${id}`, expectedVersion: 'no-stream', events: [{ type: 'ProposalSubmitted', data: { proposalId: id, groupId, visibility: 'dialogue', ...(request.body as object) } }], metadata: meta(String(request.id)) });
    if (out.kind !== 'appended') throw new Error('x');
    return reply.code(201).send({ id, version: out.appended.version, position: out.appended.position });
  });
  const write = (type: string, code: number) => async (request: { params: unknown; body: unknown; id: string }, reply: { code(c: number): { send(b: unknown): unknown } }) => {
    const { id } = request.params as { id: string };
    const out = await runtime.store.append({ streamId: `proposal-${id}`, expectedVersion: 'exists', events: [{ type, data: { proposalId: id, groupId: 'strategic', visibility: 'dialogue', body: request.body } }], metadata: meta(request.id) });
    if (out.kind !== 'appended') throw new Error('x');
    return reply.code(code).send({ position: out.appended.position, version: out.appended.version });
  };
  app.post('/proposals/:id/comments', write('CommentAdded', 201));
  app.post('/proposals/:id/endorsements', write('Endorsed', 201));
  app.delete('/proposals/:id/endorsements', write('EndorsementWithdrawn', 200));
  if (hasWs) return;
  const subscribers = new Set<{ send(data: string): void; topic: string }>();
  runtime.store.onCommit((events: StoredEvent[]) => {
    for (const event of events) {
      const groupId = event.data.groupId;
      if (typeof groupId !== 'string') continue;
      const text = JSON.stringify({ type: 'event', topic: `group:${groupId}`, position: event.position, event, view: { id: event.streamId } });
      for (const s of subscribers) if (s.topic === `group:${groupId}`) s.send(text);
    }
  });
  app.get('/ws', { websocket: true }, (socket) => {
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString()) as { type: string; topic: string; since?: number };
      if (message.type !== 'subscribe') return;
      socket.send(JSON.stringify({ type: 'subscribed', topic: message.topic, position: runtime.store.reader.head().position }));
      if (message.since !== undefined) {
        for (const event of runtime.store.reader.iterate(message.since)) {
          if (`group:${String(event.data.groupId)}` !== message.topic) continue;
          socket.send(JSON.stringify({ type: 'event', topic: message.topic, position: event.position, event, view: { id: event.streamId } }));
        }
      }
      const entry = { send: (d: string) => socket.send(d), topic: message.topic };
      subscribers.add(entry);
      socket.on('close', () => subscribers.delete(entry));
    });
  });
}
