import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config';
import { NotFound } from '../../errors';
import { serviceUrl } from '../../tokens/signInLink';
import { type Asset, webBundle } from './bundle';

/**
 * The shell and assets hold no data, so they are public: the page signs in with its token afterwards, and
 * every call it makes keeps the token rule of the API.
 */
const PAGE = { hide: true, querystring: z.looseObject({}) };

/**
 * The page's own rules for the browser: scripts, styles and connections from this origin only (no inline
 * script a stored text could smuggle in), never framed, never a Referer.
 */
const SHELL_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

function shell(base: string, script: Asset, style: Asset): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<base href="${base}">
<link rel="icon" href="data:,">
<title>Dialogue</title>
<link rel="stylesheet" href="assets/${style.name}">
<script type="module" src="assets/${script.name}"></script>
</head>
<body><div id="root"></div><noscript>The Dialogue's page needs JavaScript; the API is documented at ../docs.</noscript></body>
</html>
`;
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  const accepts = String(request.headers['accept-encoding'] ?? '');
  reply
    .type(asset.contentType)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

/** `/app/*` serves the page's shell (the page routes itself with the history API), `/app/assets/*` its files. */
export async function webRoutes(
  parent: FastifyInstance,
  config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>,
): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  // The page's base path: `/app/`, or below PUBLIC_URL's path when the service is served under one.
  const base = new URL(serviceUrl(config, 'app/')).pathname;
  const options = { schema: PAGE, config: { public: true } } as const;

  app.get('/', options, async (_request, reply) => reply.redirect(base));
  app.get('/app', options, async (_request, reply) => reply.redirect(base));
  app.get(
    '/app/assets/:name',
    { ...options, schema: { ...PAGE, params: z.object({ name: z.string() }) } },
    async (request, reply) => {
      const bundle = await webBundle();
      const asset = [bundle.script, bundle.style].find((candidate) => candidate.name === request.params.name);
      if (!asset) throw new NotFound(`no asset '${request.params.name}' (the page was built again: reload it)`);
      return sendAsset(request, reply, asset);
    },
  );
  const page = async (_request: FastifyRequest, reply: FastifyReply) => {
    const bundle = await webBundle();
    return reply
      .headers(SHELL_HEADERS)
      .type('text/html; charset=utf-8')
      .send(shell(base, bundle.script, bundle.style));
  };
  app.get('/app/', options, page);
  app.get('/app/*', options, page);
}
