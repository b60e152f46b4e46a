import { api, call } from '../api';
import { Link } from '../components/link';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { entityName } from '../entities';
import { rememberGroups } from '../groups';
import { t, tn } from '../i18n';
import { live } from '../live';
import { session } from '../session';
import { useEffect } from 'preact/hooks';

/** The working groups: who chairs them, who takes part, and the way into each group's proposals and action items. */
export function GroupsPage() {
  const groups = useLoad(() => call(api.GET('/groups')).then((list) => (rememberGroups(list), list)), []);
  const me = session.me.value;
  // Chairs and participation change on each group's topic; the list is small, so it is read again.
  const ids = groups.data?.map((group) => group.id).join(',') ?? '';
  useEffect(() => {
    if (!ids) return;
    const stops = ids.split(',').map((id) => live.subscribe(`group:${id}`, { event: (frame) => frame.view === null && groups.reload() }));
    return () => stops.forEach((stop) => stop());
  }, [ids]);
  return (
    <main id="content">
      <h1>{t('groups.heading')}</h1>
      <ProblemNotice error={groups.error} />
      {groups.data && groups.data.length === 0 && <p>{t('groups.empty')}</p>}
      <section aria-label={t('groups.region')}>
        <ul class="cards">
          {groups.data?.map((group) => (
            <li key={group.id} class="card">
              <h2>{group.name}</h2>
              {me?.entityId && group.participants.includes(me.entityId) && <p class="badge">{t('groups.member')}</p>}
              <p>{t('groups.chairs', { names: group.chairs.map(entityName).join(', ') || t('common.none') })}</p>
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
