import type { Schemas } from '../../api';
import { type MessageKey, t } from '../../i18n';

export type ProposalSummary = Schemas['ProposalSummary'];
export type ProposalView = Schemas['ProposalView'];
export type ProposalStatus = ProposalSummary['status'];
export type Visibility = ProposalSummary['visibility'];

/** The statuses `GET /groups/{groupId}/proposals` accepts as `status` (the OpenAPI document's enum). */
export const STATUSES: readonly ProposalStatus[] = ['open', 'adopted', 'rejected', 'withdrawn'];
export const VISIBILITIES: readonly Visibility[] = ['dialogue', 'members'];

/**
 * The pillars offered when the API names none: the service's default PILLARS. The API does not expose the
 * configured list (the document types `pillar` as any string), so pillars seen on proposals are added to these.
 */
const DEFAULT_PILLARS = ['platform-for-plans', 'single-node', 'frontline-access', 'architecture-and-standards'];

export function pillarChoices(seen: Iterable<string>): string[] {
  return [...new Set([...DEFAULT_PILLARS, ...seen])];
}

/** A pillar's name in the catalogue, or its id for a pillar the catalogue does not know. */
export function pillarName(pillar: string): string {
  const key = `proposals.pillar.${pillar}`;
  return isKey(key) ? t(key) : pillar;
}

const PILLAR_KEYS = new Set(DEFAULT_PILLARS.map((pillar) => `proposals.pillar.${pillar}`));
function isKey(key: string): key is MessageKey {
  return PILLAR_KEYS.has(key);
}

/** The list's filters, as the address's query holds them (so that a reload or a shared link keeps them). */
export interface Filters {
  status?: ProposalStatus;
  pillar?: string;
  q?: string;
}

export function filtersOf(query: URLSearchParams): Filters {
  const status = STATUSES.find((value) => value === query.get('status'));
  const pillar = query.get('pillar') || undefined;
  const q = query.get('q')?.trim() || undefined;
  return { ...(status ? { status } : {}), ...(pillar ? { pillar } : {}), ...(q ? { q } : {}) };
}

export function queryOf(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.pillar) query.set('pillar', filters.pillar);
  if (filters.q) query.set('q', filters.q);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Whether a row belongs in the list under these filters (search relevance is the server's to decide). */
export function matches(row: ProposalSummary, filters: Filters): boolean {
  return (
    (!filters.status || row.status === filters.status) && (!filters.pillar || row.pillars.includes(filters.pillar))
  );
}

/** A live event's proposal view as a list row: the same fields the list answers, counted from the view. */
export function summaryOf(view: ProposalView, score?: number): ProposalSummary {
  return {
    id: view.id,
    groupId: view.groupId,
    title: view.title,
    pillars: view.pillars,
    visibility: view.visibility,
    status: view.status,
    version: view.version,
    revision: view.revision,
    authorEntityId: view.authorEntityId,
    closesAt: view.closesAt,
    consultationClosedAt: view.consultationClosedAt,
    createdAt: view.createdAt,
    counts: { endorsements: view.endorsements.length, objections: view.objections.length, comments: view.commentCount },
    lastActivityAt: view.updatedAt,
    ...(score === undefined ? {} : { score }),
  };
}
