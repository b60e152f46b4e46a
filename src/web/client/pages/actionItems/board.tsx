import { useRef, useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import type { Loaded } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { t } from '../../i18n';
import { CsvDownload } from './csv';
import { ActionItemCard } from './item';
import { type ActionItem, type Filters, STATUS_FILTERS, type StatusFilter } from './model';
import { memberEntities, OpenActionItem } from './openItem';

export type BoardPage = Schemas['ActionItemPage'];

interface Props {
  group: Schemas['Group'];
  board: Loaded<BoardPage>;
  filters: Filters;
  setFilters: (filters: Filters) => void;
  today: string;
  chair: boolean;
  entityId: string | null;
  apply: (view: ActionItem) => void;
}

/** The board: the group's items under the API's filters, a page at a time, with the actions each may take. */
export function Board({ group, board, filters, setFilters, today, chair, entityId, apply }: Props) {
  const [more, setMore] = useState<{ busy: boolean; error: unknown }>({ busy: false, error: null });
  // A next page belongs to the list it was asked for: one arriving after the filters changed is dropped.
  const listKey = `${group.id}\n${filters.status}\n${filters.owner}`;
  const currentKey = useRef(listKey);
  currentKey.current = listKey;
  const loadMore = async (cursor: string) => {
    const askedFor = listKey;
    setMore({ busy: true, error: null });
    try {
      const query = {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.owner ? { owner: filters.owner } : {}),
        cursor,
      };
      const next = await call(
        api.GET('/groups/{groupId}/action-items', { params: { path: { groupId: group.id }, query } }),
      );
      if (currentKey.current !== askedFor) {
        setMore({ busy: false, error: null });
        return;
      }
      board.set((page) => ({
        items: [...page.items, ...next.items.filter((item) => !page.items.some((known) => known.id === item.id))],
        nextCursor: next.nextCursor,
      }));
      setMore({ busy: false, error: null });
    } catch (error) {
      setMore({ busy: false, error: currentKey.current === askedFor ? error : null });
    }
  };
  const [notice, setNotice] = useState<string | null>(null);
  const opened = async (id: string) => {
    setNotice(t('actionItems.opened'));
    apply(await call(api.GET('/action-items/{id}', { params: { path: { id } } })));
  };
  const owners = memberEntities(group);
  return (
    <section aria-label={t('actionItems.board')} class="board">
      <h2>{t('actionItems.board')}</h2>
      <div class="board-tools">
        <label>
          {t('actionItems.filterStatus')}{' '}
          <select
            value={filters.status}
            onChange={(event) => setFilters({ ...filters, status: event.currentTarget.value as StatusFilter | '' })}
          >
            <option value="">{t('actionItems.filterAll')}</option>
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {t(`actionItems.status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('actionItems.filterOwner')}{' '}
          <select
            value={filters.owner}
            onChange={(event) => setFilters({ ...filters, owner: event.currentTarget.value })}
          >
            <option value="">{t('actionItems.filterAll')}</option>
            {owners.map((id) => (
              <option key={id} value={id}>
                {entityName(id)}
              </option>
            ))}
          </select>
        </label>
        <CsvDownload groupId={group.id} filters={filters} />
      </div>
      {chair && <OpenActionItem group={group} onOpened={(id) => void opened(id).catch(() => board.reload())} />}
      <p role="status" class="visually-hidden">
        {notice}
      </p>
      <ProblemNotice error={board.error} />
      {board.data && board.data.items.length === 0 && <p>{t('actionItems.empty')}</p>}
      <ul class="items" aria-busy={board.loading}>
        {board.data?.items.map((item) => (
          <ActionItemCard key={item.id} item={item} today={today} chair={chair} entityId={entityId} onSaved={apply} />
        ))}
      </ul>
      <ProblemNotice error={more.error} />
      {board.data?.nextCursor && (
        <button
          type="button"
          class="secondary"
          disabled={more.busy}
          onClick={() => board.data?.nextCursor && void loadMore(board.data.nextCursor)}
        >
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
