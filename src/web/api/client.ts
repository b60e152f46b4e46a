import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** The API as the web page calls it: every path, parameter, body and response typed from the served OpenAPI document. */
export type ApiClient = Client<paths>;

/**
 * A client of the API at `baseUrl` that sends `Authorization: Bearer <token>` on each request when `token()`
 * returns one; read per request so the page can sign in, out or switch token without a new client.
 */
export function createApiClient(baseUrl: string, token: () => string | null): ApiClient {
  const bearer: Middleware = {
    onRequest({ request }) {
      const secret = token();
      if (secret !== null) request.headers.set('authorization', `Bearer ${secret}`);
      return request;
    },
  };
  const client = createClient<paths>({ baseUrl });
  client.use(bearer);
  return client;
}
