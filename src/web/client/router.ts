import { signal } from '@preact/signals';

const base = new URL(document.baseURI).pathname.replace(/\/$/, '');

/** The page's own path below its base (`/groups/strategic` for `/app/groups/strategic`), and its query. */
function current(): { path: string; query: URLSearchParams } {
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname;
  return { path: path === '' ? '/' : path, query: new URLSearchParams(location.search) };
}

export const route = signal(current());

addEventListener('popstate', () => {
  for (const entered of entries) entered();
  route.value = current();
});

/** The address of a page of the app, for links. */
export function href(path: string): string {
  return `${base}${path}`;
}

type Prefetch = (path: string, query: URLSearchParams) => void;
const prefetches: Prefetch[] = [];
const entries: Array<() => void> = [];

/** Called as another page is entered, before any of its reads (the live connection notes where the log stands). */
export function onRouteEntered(entered: () => void): void {
  entries.push(entered);
}

/**
 * A page's first read, started when a link is followed rather than after the next page has rendered: a
 * page registers it, and takes its answer with the read of the same address.
 */
export function onNavigate(prefetch: Prefetch): void {
  prefetches.push(prefetch);
}

/** Goes to a page of the app without reloading (history API); `replace` for a filter change, not a new page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (!options.replace) {
    for (const entered of entries) entered();
    const url = new URL(target, location.href);
    const own = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
    for (const prefetch of prefetches) prefetch(own || '/', url.searchParams);
  }
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  route.value = current();
  if (!options.replace) scrollTo(0, 0);
}

/** Matches `/groups/:groupId` patterns; the parameters decoded, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_whole, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  try {
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
  } catch {
    // A malformed escape (`/proposals/%E0`) names no page.
    return null;
  }
}
