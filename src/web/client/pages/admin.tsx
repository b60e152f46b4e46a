import { useEffect } from 'preact/hooks';
import { api, call } from '../api';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { t } from '../i18n';
import { live } from '../live';
import { session } from '../session';
import { GroupPanel } from './admin/groupPanel';

function Groups() {
  const groups = useLoad(() => call(api.GET('/groups')), []);
  // Chair and participation events carry no item view: the group list is read again when one arrives.
  const ids = groups.data?.map((group) => group.id).join(',') ?? '';
  useEffect(() => {
    if (!ids) return;
    const stops = ids.split(',').map((id) => live.subscribe(`group:${id}`, { event: (frame) => frame.view === null && groups.reload() }));
    return () => stops.forEach((stop) => stop());
  }, [ids]);
  return (
    <>
      <ProblemNotice error={groups.error} />
      {groups.loading && !groups.data && <p class="loading">{t('common.loading')}</p>}
      <div class="admin-groups">
        {groups.data?.map((group) => (
          <GroupPanel key={group.id} group={group} onChanged={groups.reload} />
        ))}
      </div>
    </>
  );
}

/** The secretariat's page: who chairs each working group and who takes part in it. */
export function AdminPage() {
  const secretariat = session.me.value?.role === 'secretariat';
  return (
    <main id="content">
      <h1>{t('admin.heading')}</h1>
      {secretariat ? <Groups /> : <p class="notice">{t('admin.onlySecretariat')}</p>}
    </main>
  );
}
