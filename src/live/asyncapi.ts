import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import {
  CLOSE,
  ErrorFrame,
  EventFrame,
  Ping,
  PongFrame,
  PresenceFrame,
  PresenceRequest,
  Subscribe,
  SubscribedFrame,
  Unsubscribe,
  UnsubscribedFrame,
} from './protocol';

/** What every close code means (docs/api.md, Close codes); keyed by CLOSE so that a new code needs its meaning. */
const CLOSE_MEANINGS: Record<keyof typeof CLOSE, string> = {
  goingAway: 'the server is shutting down; reconnect and resubscribe with `since`',
  policy: 'too many sockets for the token, or 50 messages refused in a row',
  tooBig: 'a frame over 64 KiB',
  internalError: 'catch-up failed, or a message the server could not answer; reconnect and resubscribe with `since`',
  tryAgainLater:
    "the client fell so far behind that the server's send buffer for it passed WS_MAX_BUFFERED_BYTES; reconnect and resubscribe with `since`",
  revoked: 'the token was revoked',
};

interface Message {
  name: string;
  summary: string;
  schema: z.ZodType;
}

/** Client messages, keyed by their component name (`presence` goes both ways, under two names). */
const SEND: Record<string, Message> = {
  subscribe: {
    name: 'subscribe',
    summary: 'Subscribe to a topic; with `since`, the visible events after that position come first, then live ones.',
    schema: Subscribe,
  },
  unsubscribe: { name: 'unsubscribe', summary: 'Stop a subscription.', schema: Unsubscribe },
  ping: { name: 'ping', summary: 'Answered with `pong`.', schema: Ping },
  presenceRequest: {
    name: 'presence',
    summary: "Ask for the entities connected to a group's topic.",
    schema: PresenceRequest,
  },
};

const RECEIVE: Record<string, Message> = {
  subscribed: { name: 'subscribed', summary: 'A subscription started at this head position.', schema: SubscribedFrame },
  unsubscribed: { name: 'unsubscribed', summary: 'A subscription ended on request.', schema: UnsubscribedFrame },
  event: {
    name: 'event',
    summary:
      'An event of a subscribed topic, filtered for the recipient; per topic, positions strictly increase without gap.',
    schema: EventFrame,
  },
  presence: {
    name: 'presence',
    summary: "The entities connected to a group's topic: on request, and whenever the set changes.",
    schema: PresenceFrame,
  },
  pong: { name: 'pong', summary: 'The answer to `ping`.', schema: PongFrame },
  error: { name: 'error', summary: 'A message refused; the socket stays open.', schema: ErrorFrame },
};

const SCHEMAS = '#/components/schemas/';

/**
 * The frames' JSON Schemas, from their zod schemas, as components. Schemas they share (`StoredEvent`,
 * `ProposalView`, ...) come out of zod under `__shared`; they become components of their own.
 */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [key, message] of Object.entries({ ...SEND, ...RECEIVE }))
    registry.add(message.schema, { id: schemaName(key) });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-7', uri: (id) => `${SCHEMAS}${id}` });
  const { __shared: shared, ...own } = schemas;
  const all: Record<string, unknown> = { ...(shared?.definitions ?? {}) };
  for (const [id, schema] of Object.entries(own)) {
    // `$schema` and `$id` are for schemas standing alone; inside the document they would change how refs resolve.
    const { $schema: _schema, $id: _id, ...rest } = schema;
    all[id] = rest;
  }
  return resolveShared(all) as Record<string, unknown>;
}

/** Refs into `__shared` point to the components made of it. */
function resolveShared(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveShared);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string'
        ? item.replace(`${SCHEMAS}__shared#/definitions/`, SCHEMAS)
        : resolveShared(item),
    ]),
  );
}

function schemaName(key: string): string {
  return `${key.charAt(0).toUpperCase()}${key.slice(1)}${key in SEND ? 'Message' : 'Frame'}`;
}

function messages(set: Record<string, Message>) {
  return Object.fromEntries(
    Object.entries(set).map(([key, message]) => [
      key,
      {
        name: message.name,
        summary: message.summary,
        contentType: 'application/json',
        payload: { $ref: `${SCHEMAS}${schemaName(key)}` },
      },
    ]),
  );
}

function operations(action: 'send' | 'receive', set: Record<string, Message>) {
  return Object.fromEntries(
    Object.keys(set).map((key) => [
      `${action}${schemaName(key).replace(/(Message|Frame)$/, '')}`,
      {
        action,
        channel: { $ref: '#/channels/live' },
        summary: set[key]?.summary,
        messages: [{ $ref: `#/channels/live/messages/${key}` }],
      },
    ]),
  );
}

/** The websocket server at the service's address (`http://host:port`, or PUBLIC_URL): wss behind https. */
function server(serviceUrl: string) {
  const url = new URL(serviceUrl);
  const pathname = url.pathname.replace(/\/$/, '');
  return { host: url.host, protocol: url.protocol === 'https:' ? 'wss' : 'ws', ...(pathname ? { pathname } : {}) };
}

const closeCodes = (Object.keys(CLOSE) as Array<keyof typeof CLOSE>)
  .map((name) => `- ${CLOSE[name]}: ${CLOSE_MEANINGS[name]}`)
  .join('\n');

/** The websocket protocol as an AsyncAPI 3 document, its payloads generated from the zod schemas that validate and type the frames. */
export function buildAsyncApiDocument(serviceUrl: string) {
  const security = [
    { $ref: '#/components/securitySchemes/bearer' },
    { $ref: '#/components/securitySchemes/queryToken' },
  ];
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Dialogue backend live updates',
      version: packageJson.version,
      description:
        'Live updates of the Dialogue backend: JSON text frames over a websocket (`GET /ws`). A missing, unknown or revoked token is HTTP 401 and no socket; a browser origin not allowed is HTTP 403.',
    },
    servers: { dialogue: { ...server(serviceUrl), security } },
    channels: {
      live: {
        address: '/ws',
        title: 'Live updates',
        description: `Subscriptions to topics \`group:<id>\`, \`proposal:<id>\`, \`action-item:<id>\`, \`edition:<id>\` (every token; its events carry \`view: null\`: an edition reads differently for each caller, so the page reads it again) and \`log\` (auditors only). Close codes:\n${closeCodes}`,
        messages: { ...messages(SEND), ...messages(RECEIVE) },
        bindings: {
          ws: {
            method: 'GET',
            query: {
              type: 'object',
              properties: {
                token: {
                  type: 'string',
                  description: 'the bearer token, for browsers, which cannot set headers on a websocket',
                },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
      },
    },
    operations: { ...operations('send', SEND), ...operations('receive', RECEIVE) },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: '`Authorization: Bearer <token>` on the upgrade request',
        },
        queryToken: {
          type: 'httpApiKey',
          in: 'query',
          name: 'token',
          description: '`?token=<token>`, spelt exactly so and given once',
        },
      },
    },
  };
}
