import { createApiClient } from '../api/client';
import type { components } from '../api/schema';
import { t } from './i18n';
import { session } from './session';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** The service's root, from the page's base (`/app/`, or below PUBLIC_URL's path). */
export const serviceRoot = new URL('../', document.baseURI);

/** The typed API client every page uses; it sends the session's token. */
export const api = createApiClient(serviceRoot.href.replace(/\/$/, ''), () => session.token.value);

/** A refused call: its status, the problem the service sent (null when it could not be reached) and Retry-After. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    readonly retryAfter: number | null,
  ) {
    super(problem?.detail ?? `status ${status}`);
  }

  /** Validation errors by field path (`title`, `pillars.0`), for the fields to show next to themselves. */
  fieldErrors(): Map<string, string> {
    const errors = new Map<string, string>();
    for (const { path, message } of this.problem?.errors ?? []) if (!errors.has(path)) errors.set(path, message);
    return errors;
  }
}

interface Outcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * The data of a call, or an ApiError. A 401 means the token stopped being valid (revoked meanwhile): the
 * session ends and the page shows the sign-in form with that message.
 */
export async function call<R extends Outcome>(request: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  // The token the request was sent with: a late 401 of a session that ended must not end the next one.
  const sentWith = session.token.value;
  let outcome: R;
  try {
    outcome = await request;
  } catch {
    throw new ApiError(0, null, null);
  }
  const { response } = outcome;
  if (outcome.error === undefined && response.ok) return outcome.data as Exclude<R['data'], undefined>;
  const problem = isProblem(outcome.error) ? outcome.error : null;
  if (response.status === 401 && session.token.value === sentWith) session.end('revoked');
  throw new ApiError(response.status, problem, retryAfterSeconds(response.headers.get('retry-after')));
}

/** `Retry-After` in seconds, whether given as seconds or as an HTTP date. */
function retryAfterSeconds(value: string | null): number | null {
  if (value === null) return null;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'detail' in value;
}

/** A refusal in plain words: what went wrong and, for a 429, when to try again. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return t('problem.network');
  if (error.status === 0) return t('problem.network');
  if (error.status === 429)
    return error.retryAfter === null ? t('problem.status.429') : t('problem.retryAfter', { seconds: error.retryAfter });
  const known = `problem.status.${error.status}` as const;
  const title = isStatusKey(known) ? t(known) : (error.problem?.title ?? String(error.status));
  return error.problem ? t('problem.generic', { title, detail: error.problem.detail }) : title;
}

const STATUS_KEYS = new Set(['400', '401', '403', '404', '409', '412', '413', '422', '428', '429', '503']);
function isStatusKey(
  key: string,
): key is `problem.status.${'400' | '401' | '403' | '404' | '409' | '412' | '413' | '422' | '428' | '429' | '503'}` {
  return STATUS_KEYS.has(key.slice('problem.status.'.length));
}
