import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessage, ErrorCode, ServerFrame } from '../../src/live/protocol';
import { createLiveAppOn, type LiveContext } from './support';

interface Schema {
  properties?: { type?: { const?: string } };
  enum?: string[];
}
interface AsyncApiDocument {
  asyncapi: string;
  servers: Record<string, { host: string; protocol: string; pathname?: string }>;
  channels: { live: { address: string; description: string; messages: Record<string, { payload: { $ref: string } }> } };
  operations: Record<string, { action: 'send' | 'receive'; messages: Array<{ $ref: string }> }>;
  components: { schemas: Record<string, Schema> };
}

let live: LiveContext;
let doc: AsyncApiDocument;
beforeAll(async () => {
  // A database file: catch-up frames are then assembled by SQLite on the reader thread, live ones in JS.
  live = await createLiveAppOn('file');
  const response = await live.app.inject({ method: 'GET', url: '/docs/asyncapi.json' });
  doc = response.json<AsyncApiDocument>();
});
afterAll(async () => live.close());

/** The component schema of each message an operation of that action carries. */
function payloads(action: 'send' | 'receive'): Schema[] {
  return Object.values(doc.operations)
    .filter((operation) => operation.action === action)
    .flatMap((operation) => operation.messages)
    .map((ref) => doc.channels.live.messages[ref.$ref.replace('#/channels/live/messages/', '')]?.payload.$ref ?? '')
    .map((ref) => doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {});
}

const typeOf = (schema: Schema) => schema.properties?.type?.const;

describe('the AsyncAPI document of the websocket protocol', () => {
  it('is served as JSON without a token', async () => {
    const response = await live.app.inject({ method: 'GET', url: '/docs/asyncapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.channels.live.address).toBe('/ws');
  });

  it('parses with @asyncapi/parser without an error', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    // Severity 0 is an error (1 a warning, 2 information, 3 a hint).
    expect(
      diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((diagnostic) => diagnostic.message),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('lists every client message, every server frame, every error code and every close code', () => {
    expect(payloads('send').map(typeOf).sort()).toEqual(
      ClientMessage.options.map((option) => option.shape.type.value).sort(),
    );
    expect(payloads('receive').map(typeOf).sort()).toEqual(
      ServerFrame.options.map((option) => option.shape.type.value).sort(),
    );
    expect(doc.components.schemas.ErrorCode?.enum).toEqual(ErrorCode.options);
    for (const code of [1001, 1008, 1009, 1011, 1013, 4403])
      expect(doc.channels.live.description).toContain(`- ${code}: `);
  });

  it('names PUBLIC_URL as the server when set, wss behind https', async () => {
    const other = await createLiveAppOn('memory', { PUBLIC_URL: 'https://dialogue.example.org/' });
    try {
      const served = (await other.app.inject({ method: 'GET', url: '/docs/asyncapi.json' })).json<AsyncApiDocument>();
      expect(Object.values(served.servers)).toMatchObject([{ host: 'dialogue.example.org', protocol: 'wss' }]);
    } finally {
      await other.close();
    }
    // Without PUBLIC_URL, the configured HOST:PORT.
    expect(Object.values(doc.servers)).toMatchObject([{ protocol: 'ws', host: expect.stringMatching(/:\d+$/) }]);
  });

  it("describes the frames a live server sends: their zod schemas and the document's schemas accept them", async () => {
    const post = async (token: string, url: string, payload: Record<string, unknown>) => {
      const response = await live.app.inject({ method: 'POST', url, headers: live.auth(token), payload });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json<{ id: string; position: number }>();
    };
    const secretariat = await live.token('secretariat');
    await post(secretariat, '/groups/operational/chairs', { entityId: 'frontex' });
    const author = await live.token('delegate', 'europol');
    const proposal = await post(author, '/groups/strategic/proposals', {
      title: 'Common alert format',
      body: 'For everyone.',
    });
    await post(author, `/proposals/${proposal.id}/comments`, { body: 'Draft attached.' });
    const item = await post(await live.token('delegate', 'frontex'), '/groups/operational/action-items', {
      title: 'Map the contact points',
      ownerEntityId: 'interpol',
      dueDate: '2026-04-01',
    });

    const auditor = await live.connect(await live.token('auditor'));
    const member = await live.connect(await live.token('delegate', 'interpol'));
    // Catch-up of the whole log (reference data, tokens, proposals, action items), then live events.
    await auditor.subscribe('log', 0);
    await auditor.reach('log', item.position);
    await member.subscribe('group:strategic');
    await member.subscribe('group:operational', 0);
    await member.reach('group:operational', item.position);
    const live1 = await post(author, '/groups/strategic/proposals', {
      title: 'Shared watch list',
      body: 'Members only.',
      visibility: 'members',
    });
    await member.reach('group:strategic', live1.position);
    member.send({ type: 'presence', topic: 'group:strategic' });
    await member.next((m) => m.type === 'presence');
    member.send({ type: 'ping' });
    await member.next((m) => m.type === 'pong');
    member.send({ type: 'unsubscribe', topic: 'group:strategic' });
    await member.next((m) => m.type === 'unsubscribed');
    member.send({ type: 'subscribe', topic: 'log' });
    await member.next((m) => m.type === 'error' && m.topic === 'log');
    member.send('not json');
    await member.next((m) => m.type === 'error' && m.topic === undefined);

    const frames = [...auditor.frames, ...member.frames].map((text) => JSON.parse(text) as unknown);
    const types = new Set(frames.map((frame) => (frame as { type: string }).type));
    expect([...types].sort()).toEqual(['error', 'event', 'pong', 'presence', 'subscribed', 'unsubscribed']);
    const views = frames.map((frame) => (frame as { view?: { id?: string } | null }).view?.id);
    expect(views).toContain(proposal.id);
    expect(views).toContain(item.id);

    const rejected = frames.filter((frame) => !ServerFrame.safeParse(frame).success);
    expect(rejected, 'frames the zod schemas refuse').toEqual([]);

    // The document's own schemas, as a client generated from it would apply them.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema(doc, 'asyncapi');
    const accepted = (frame: unknown) => {
      const name = `${(frame as { type: string }).type.replace(/^./, (c) => c.toUpperCase())}Frame`;
      return ajv.getSchema(`asyncapi#/components/schemas/${name}`)?.(frame) === true;
    };
    expect(
      frames.filter((frame) => !accepted(frame)),
      "frames the document's schemas refuse",
    ).toEqual([]);

    // Neither accepts a frame that is not one: an event whose view lost a field, or an unknown error code.
    const event = frames.find((frame) => (frame as { view?: { id?: string } | null }).view?.id === proposal.id) as {
      view: Record<string, unknown>;
    };
    const { title: _title, ...untitled } = event.view;
    for (const wrong of [
      { ...event, view: untitled },
      { type: 'error', code: 'teapot', message: 'm' },
    ]) {
      expect(ServerFrame.safeParse(wrong).success).toBe(false);
      expect(accepted(wrong)).toBe(false);
    }
    auditor.close();
    member.close();
  });
});
