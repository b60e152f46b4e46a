import { api, call } from '../api';
import { Link } from '../components/link';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { entityName } from '../entities';
import { rememberGroups } from '../groups';
import { t, tn } from '../i18n';
import { session } from '../session';
import { formatList } from './format';
import { useGroupChanges } from './groupChanges';

/** The working groups: who chairs them, who takes part, and the way into each group's proposals and action items. */
export function GroupsPage() {
  const groups = useLoad(async () => {
    const list = await call(api.GET('/groups'));
    rememberGroups(list);
    return list;
  }, []);
  const me = session.me.value;
  // Chairs and participation change on each group's topic; the list is small, so it is read again.
  useGroupChanges(groups.data?.map((group) => group.id) ?? [], groups.reload);
  return (
    <main id="content">
      <h1>{t('groups.heading')}</h1>
      <ProblemNotice error={groups.error} />
      {groups.data && groups.data.length === 0 && <p>{t('groups.empty')}</p>}
      <section aria-label={t('groups.region')}>
        <ul class="cards">
          {groups.data?.map((group) => (
            <li key={group.id} class="card">
              <h2 dir="auto">{group.name}</h2>
              {me?.entityId && group.participants.includes(me.entityId) && <p class="badge">{t('groups.member')}</p>}
              <p>{t('groups.chairs', { names: formatList(group.chairs.map(entityName)) || t('common.none') })}</p>
              <p>{tn('groups.participants', group.participants.length)}</p>
              <p class="actions">
                <Link to={`/groups/${encodeURIComponent(group.id)}`}>{t('groups.proposals')}</Link>
                <Link to={`/groups/${encodeURIComponent(group.id)}/action-items`}>{t('groups.actionItems')}</Link>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
