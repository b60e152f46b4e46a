import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, call } from '../api';
import { Link } from '../components/link';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { t } from '../i18n';
import { live } from '../live';
import { session } from '../session';
import { Board } from './actionItems/board';
import { DashboardRegion } from './actionItems/dashboard';
import { useGroupChanges } from './groupChanges';
import { type ActionItem, applyView, type Filters, isActionItemView, utcToday } from './actionItems/model';

/** Several events in a row (a chair's session) reload the dashboard once. */
const DASHBOARD_DEBOUNCE_MS = 300;

/**
 * A group's action items: the dashboard and the board, for everyone in the group; the controls only for
 * those the service lets act (chairs open, reschedule, cancel and reopen; the owner and chairs progress and
 * complete). Both follow the group's live topic.
 */
export function ActionItemsPage({ groupId }: { groupId: string }) {
  const me = session.me.value;
  const [filters, setFilters] = useState<Filters>({ status: '', owner: '' });
  const [refused, setRefused] = useState<string | null>(null);
  const groups = useLoad(() => call(api.GET('/groups')), []);
  const dashboard = useLoad(
    () => call(api.GET('/groups/{groupId}/dashboard', { params: { path: { groupId } } })),
    [groupId],
  );
  const board = useLoad(() => {
    const query = {
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.owner ? { owner: filters.owner } : {}),
    };
    return call(api.GET('/groups/{groupId}/action-items', { params: { path: { groupId }, query } }));
  }, [groupId, filters.status, filters.owner]);

  // The live handler outlives renders: it reads the current filters through a ref.
  const current = useRef({ filters, board });
  current.current = { filters, board };
  const apply = useMemo(
    () => (view: ActionItem) => {
      const { filters: now, board: loaded } = current.current;
      loaded.set((page) => ({ ...page, items: applyView(page.items, view, now, page.nextCursor === null) }));
    },
    [],
  );

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    setRefused(null);
    const stop = live.subscribe(`group:${groupId}`, {
      event: (frame) => {
        if (isActionItemView(frame.view)) apply(frame.view);
        if (frame.event.type.startsWith('ActionItem')) {
          clearTimeout(timer);
          timer = setTimeout(() => dashboard.reload(), DASHBOARD_DEBOUNCE_MS);
        }
      },
      refused: (_code, message) => setRefused(message),
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [groupId]);

  // Chairs and participants change on the group's stream: who may act is read again.
  useGroupChanges([groupId], groups.reload);

  const group = groups.data?.find((candidate) => candidate.id === groupId);
  const entityId = me?.role === 'delegate' ? me.entityId : null;
  const chair = entityId !== null && group?.chairs.includes(entityId) === true;
  const today = dashboard.data?.today ?? utcToday();
  return (
    <main id="content">
      <h1>{t('actionItems.heading', { group: group?.name ?? groupId })}</h1>
      <p>
        <Link to={`/groups/${encodeURIComponent(groupId)}`}>{t('actionItems.backToProposals')}</Link>
      </p>
      {/* A refused topic (this entity left the group): the items already shown are no longer this user's to see. */}
      {refused !== null ? (
        <p class="problem" role="alert">
          {t('actionItems.refused', { message: refused })}
        </p>
      ) : (
        <>
          <ProblemNotice error={groups.error} />
          <DashboardRegion dashboard={dashboard.data} error={dashboard.error} />
          {group && (
            <Board
              group={group}
              board={board}
              filters={filters}
              setFilters={setFilters}
              today={today}
              chair={chair}
              entityId={entityId}
              apply={apply}
            />
          )}
          {groups.data && !group && <p>{t('common.notFound')}</p>}
        </>
      )}
    </main>
  );
}
