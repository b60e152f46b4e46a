import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config';
import { NotFound } from '../errors';
import { requireRole } from '../http/auth';
import { problems } from '../http/openapi';
import { History, StreamPageQuery, streamPage } from '../http/history';
import { readWithin } from '../http/limits';
import type { Runtime } from '../runtime';
import { StoredEvent } from '../eventStore/types';
import { Checkpoint, signCheckpoint } from './checkpoint';
import { CheckpointWriter, checkpointDirectory } from './checkpointWriter';
import type { SigningKey } from './signing';
import { stateRoute } from './stateRoute';
import { ChainVerifier } from './verify';

const Position = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const PAGE = 1_000;

/** Paged, so a long log never blocks other requests for long nor sits in memory whole. */
async function* pages(runtime: Runtime, after: number, until: number) {
  let position = after;
  while (position < until) {
    const page = runtime.store.reader.readPage(position, Math.min(PAGE, until - position));
    if (page.length === 0) return;
    yield page;
    position = page[page.length - 1]?.position ?? until;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The auditor's tools: read the raw log, export it, verify it, sign checkpoints, and replay it to a moment. */
export async function auditRoutes(
  parent: FastifyInstance,
  runtime: Runtime,
  config: Config,
  key: SigningKey,
): Promise<void> {
  startCheckpointWriter(parent, runtime, config, key);
  logRoutes(parent, runtime);
  exportRoutes(parent, runtime);
  checkpointRoutes(parent, runtime, key);
  stateRoute(parent, runtime);
}

/** Writes signed checkpoint files as the log grows, when the configuration names a folder for them. */
function startCheckpointWriter(app: FastifyInstance, runtime: Runtime, config: Config, key: SigningKey): void {
  const directory = checkpointDirectory(config.DATABASE_URL, config.CHECKPOINT_DIR);
  if (directory === null) return;
  const writer = new CheckpointWriter(
    runtime.store,
    key,
    { directory, everyEvents: config.CHECKPOINT_EVERY_EVENTS, everyMinutes: config.CHECKPOINT_EVERY_MINUTES },
    (error) => app.log.error({ err: error }, 'could not write a checkpoint file'),
  );
  app.addHook('onClose', async () => writer.stop());
}

/** The log as it is stored: its pages in position order, and one stream's pages. */
function logRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { reader } = runtime.store;

  app.get('/events', {
    schema: {
      tags: ['audit'],
      operationId: 'readEvents',
      summary: 'Page the whole log in position order (auditor, secretariat)',
      querystring: z.strictObject({
        after: Position.default(0),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: {
        200: z.object({ events: z.array(StoredEvent), next: z.number().int().nullable() }),
        ...problems(403),
      },
    },
    handler: async (request) => {
      requireRole(request.actor, 'auditor', 'secretariat');
      const { items: events } = readWithin(
        (after, count) => reader.readPage(after, count),
        (event) => event.position,
        request.query.after,
        request.query.limit,
      );
      const last = events[events.length - 1]?.position;
      const next = last !== undefined && last < reader.head().position ? last : null;
      return { events, next };
    },
  });

  app.get('/streams/:streamId', {
    schema: {
      tags: ['audit'],
      operationId: 'readStream',
      summary: "Page one stream's events (auditor, secretariat)",
      params: z.strictObject({
        streamId: z
          .string()
          .min(1)
          .max(100)
          .regex(/^[A-Za-z0-9_-]+$/),
      }),
      querystring: StreamPageQuery,
      response: { 200: z.object({ events: z.array(StoredEvent), next: History.shape.next }), ...problems(403, 404) },
    },
    handler: async (request) => {
      requireRole(request.actor, 'auditor', 'secretariat');
      const { streamId } = request.params;
      if (runtime.store.version(streamId) === 0) throw new NotFound(`no stream '${streamId}'`);
      return streamPage(runtime.store, streamId, request.query);
    },
  });
}

/** The whole log for offline checks (NDJSON) and the chain checked by the server. */
function exportRoutes(parent: FastifyInstance, runtime: Runtime): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { reader } = runtime.store;

  app.get('/audit/export', {
    schema: {
      tags: ['audit'],
      operationId: 'exportLog',
      summary: 'Download the log as NDJSON, for offline verification (auditor)',
      querystring: z.strictObject({ after: Position.default(0), until: Position.optional() }),
      produces: ['application/x-ndjson'],
      response: { 200: z.string().describe('NDJSON: one event per line, in position order'), ...problems(403) },
    },
    handler: async (request, reply) => {
      requireRole(request.actor, 'auditor');
      const until = request.query.until ?? reader.head().position;
      async function* lines() {
        for await (const page of pages(runtime, request.query.after, until)) {
          yield page.map((event) => `${JSON.stringify(event)}\n`).join('');
        }
      }
      // A stream is sent as it is read (Fastify does not serialise streams); the schema documents its lines.
      const body: unknown = Readable.from(lines());
      return reply.type('application/x-ndjson').send(body as string);
    },
  });

  app.get('/audit/verify', {
    schema: {
      tags: ['audit'],
      operationId: 'verifyLog',
      summary: 'Check the hash chain of the whole log (auditor)',
      response: {
        200: z.object({
          ok: z.boolean(),
          checked: z.number().int(),
          head: z.object({ position: z.number().int(), hash: z.string() }),
          failure: z.object({ position: z.number().int(), reason: z.string() }).optional(),
        }),
        ...problems(403),
      },
    },
    handler: async (request) => {
      requireRole(request.actor, 'auditor');
      // Stored rows, parsed one by one: a row that is not even JSON is reported at its position.
      const verifier = new ChainVerifier();
      const head = reader.head().position;
      for (let position = 0; position < head; position += PAGE) {
        const rows = [...reader.iterateRows(position, Math.min(head, position + PAGE))];
        if (!rows.every((row) => verifier.pushRow(row))) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return verifier.result();
    },
  });
}

/** Signed checkpoints of the chain's head and the key that checks them. */
function checkpointRoutes(parent: FastifyInstance, runtime: Runtime, key: SigningKey): void {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { reader } = runtime.store;

  app.get('/audit/public-key', {
    schema: {
      tags: ['audit'],
      operationId: 'getPublicKey',
      summary: 'The public key that checks signed checkpoints',
      produces: ['application/x-pem-file'],
      response: { 200: z.string().describe('Ed25519 public key, SPKI PEM') },
    },
    handler: async (_request, reply) => reply.type('application/x-pem-file').send(key.publicKeyPem),
  });

  app.get('/audit/checkpoint', {
    schema: {
      tags: ['audit'],
      operationId: 'getCheckpoint',
      summary: 'A signed checkpoint of the chain head (auditor)',
      response: { 200: Checkpoint, ...problems(403) },
    },
    handler: async (request) => {
      requireRole(request.actor, 'auditor');
      return signCheckpoint(reader, key);
    },
  });
}
