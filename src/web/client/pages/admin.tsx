import { api, call } from '../api';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { t } from '../i18n';
import { session } from '../session';
import { GroupPanel } from './admin/groupPanel';
import { useGroupChanges } from './groupChanges';

function Groups() {
  const groups = useLoad(() => call(api.GET('/groups')), []);
  // A chair or participant changed (here or elsewhere): the group list is read again.
  useGroupChanges(groups.data?.map((group) => group.id) ?? [], groups.reload);
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
