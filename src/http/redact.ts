import { TOKEN_PREFIX } from '../tokens/tokens';

const REDACTED = '[redacted]';
/** Query parameter names that carry credentials, however a client spells them (`tok%65n`, `TOKEN`, `auth`). */
const CREDENTIAL_NAME = /token|auth|bearer|secret|passw|key/i;
const BEARER = new RegExp(TOKEN_PREFIX, 'i');
/** Escapes nested deeper than this are not worth decoding: the part is redacted whole. */
const MAX_UNESCAPES = 8;

/**
 * A URL part with its %-escapes undone as often as they nest (`%2574` -> `%74` -> `t`), bytes read as Latin-1:
 * enough to recognise ASCII names and tokens, and never throws. Undefined when nested too deep to tell.
 */
function unescaped(part: string): string | undefined {
  let current = part.replaceAll('+', ' ');
  for (let round = 0; round < MAX_UNESCAPES; round += 1) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) return current;
    current = next;
  }
  return undefined;
}

function holdsToken(part: string): boolean {
  const plain = unescaped(part);
  return plain === undefined || BEARER.test(plain);
}

function redactParameter(pair: string): string {
  const equals = pair.indexOf('=');
  const name = equals === -1 ? pair : pair.slice(0, equals);
  if (holdsToken(name)) return REDACTED;
  if (equals === -1) return pair;
  const plainName = unescaped(name) ?? '';
  return CREDENTIAL_NAME.test(plainName) || holdsToken(pair.slice(equals + 1)) ? `${name}=${REDACTED}` : pair;
}

/**
 * A URL as it may be logged: a parameter whose decoded name looks like a credential loses its value, and any
 * path segment, name or value that holds a bearer token (decoded however often) is replaced whole.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = (mark === -1 ? url : url.slice(0, mark))
    .split('/')
    .map((segment) => (holdsToken(segment) ? REDACTED : segment))
    .join('/');
  return mark === -1
    ? path
    : `${path}?${url
        .slice(mark + 1)
        .split('&')
        .map(redactParameter)
        .join('&')}`;
}

/**
 * The path an error response may name (its `instance`): decoded, without the query; nothing when it cannot be
 * decoded or would carry a query, a control character or a token (`/ws%3Ftoken=...` decodes to a query).
 */
export function displayPath(url: string): string | undefined {
  const mark = url.indexOf('?');
  let path: string;
  try {
    path = decodeURIComponent(mark === -1 ? url : url.slice(0, mark));
  } catch {
    return undefined;
  }
  return /[?#\s\p{Cc}]/u.test(path) || holdsToken(path) ? undefined : path;
}

/** Text sent back to a client with any bearer token in it replaced (an id field can hold a pasted token). */
export function withoutTokens(text: string): string {
  return text.replace(new RegExp(`${TOKEN_PREFIX}[A-Za-z0-9_-]*`, 'gi'), REDACTED);
}
