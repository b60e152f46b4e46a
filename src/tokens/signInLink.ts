import type { Config } from '../config';

type Where = Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>;

/** Addresses a server listens on that no browser can be sent to: links name loopback instead. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The web client's sign-in link for a bearer token: `<PUBLIC_URL>app/#token=<token>`, else
 * `http://HOST:PORT/app/#token=<token>`. The token travels in the fragment, which browsers never send to a
 * server, so it stays out of access logs and `Referer` headers.
 */
export function signInLink(config: Where, token: string): string {
  return `${serviceUrl(config, 'app/')}#token=${encodeURIComponent(token)}`;
}

/** A path of the service as users reach it: below PUBLIC_URL (its own path kept), else on HOST and PORT. */
export function serviceUrl(config: Where, path: string): string {
  return new URL(path, baseUrl(config)).href;
}

function baseUrl(config: Where): string {
  if (config.PUBLIC_URL !== undefined) {
    // `https://example.org/dialogue` serves the client at `/dialogue/app/`, not `/app/`.
    return config.PUBLIC_URL.endsWith('/') ? config.PUBLIC_URL : `${config.PUBLIC_URL}/`;
  }
  const host = WILDCARD_HOSTS.has(config.HOST) ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${config.PORT}/`;
}
