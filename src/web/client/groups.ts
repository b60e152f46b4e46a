import { api, call, type Schemas } from './api';

let known: Promise<Array<Schemas['Group']>> | null = null;

/**
 * The groups as last read, for what does not change (their names): a page that only names groups reads
 * them once per session instead of competing with its own list for the server. Pages that show chairs or
 * participants read `GET /groups` themselves and follow its changes.
 */
export function groupsOnce(): Promise<Array<Schemas['Group']>> {
  known ??= call(api.GET('/groups')).catch((error: unknown) => {
    known = null;
    throw error;
  });
  return known;
}

/** Keeps a fresh read for `groupsOnce`. */
export function rememberGroups(groups: Array<Schemas['Group']>): void {
  known = Promise.resolve(groups);
}

export function forgetGroups(): void {
  known = null;
}
