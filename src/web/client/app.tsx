import { useEffect } from 'preact/hooks';
import { api, ApiError, call } from './api';
import { Link } from './components/link';
import { forgetEntities, loadEntities } from './entities';
import { forgetGroups } from './groups';
import { t } from './i18n';
import { live } from './live';
import { ActionItemsPage } from './pages/actionItems';
import { AdminPage } from './pages/admin';
import { AuditPage } from './pages/audit';
import { GroupsPage } from './pages/groups';
import { ProposalPage } from './pages/proposal';
import { ProposalsPage } from './pages/proposals';
import { SignIn } from './pages/signIn';
import { match, route } from './router';
import { session } from './session';

function Page() {
  const { path } = route.value;
  const params = (pattern: string) => match(pattern, path);
  let found: Record<string, string> | null;
  if (path === '/') return <GroupsPage />;
  if ((found = params('/groups/:groupId/action-items'))) return <ActionItemsPage key={found.groupId} groupId={found.groupId ?? ''} />;
  if ((found = params('/groups/:groupId'))) return <ProposalsPage key={found.groupId} groupId={found.groupId ?? ''} />;
  if ((found = params('/proposals/:id'))) return <ProposalPage key={found.id} id={found.id ?? ''} />;
  if (params('/audit')) return <AuditPage />;
  if (params('/admin')) return <AdminPage />;
  return (
    <main id="content">
      <h1>{t('common.notFound')}</h1>
      <Link to="/">{t('nav.groups')}</Link>
    </main>
  );
}

function ConnectionStatus() {
  const status = live.status.value;
  return (
    <p class={`connection connection-${status}`} role="status" aria-label={t('connection.label')}>
      {t(`connection.${status}`)}
    </p>
  );
}

function Header() {
  const me = session.me.value;
  if (!me) return null;
  const entity = me.entityId ? `, ${me.entityId}` : '';
  return (
    <header class="top">
      <a class="skip" href="#content">
        {t('app.skip')}
      </a>
      <p class="brand">{t('app.title')}</p>
      <nav aria-label={t('nav.main')}>
        <Link to="/">{t('nav.groups')}</Link>
        {me.role === 'auditor' && <Link to="/audit">{t('nav.audit')}</Link>}
        {me.role === 'secretariat' && <Link to="/admin">{t('nav.admin')}</Link>}
        <a href="../docs">{t('nav.api')}</a>
      </nav>
      <ConnectionStatus />
      <p class="who">{t('session.signedInAs', { person: me.person, role: t(`role.${me.role}`), entity })}</p>
      <button type="button" onClick={() => session.end('signedOut')}>
        {t('signIn.signOut')}
      </button>
    </header>
  );
}

/** Signs in, learns who the token speaks for, opens the live connection, then shows the page of the address. */
export function App() {
  const token = session.token.value;
  const me = session.me.value;
  useEffect(() => {
    if (token === null) {
      live.stop();
      forgetEntities();
      forgetGroups();
      return;
    }
    let current = true;
    // The head is read before any page's data, so that subscribing from it misses nothing the page did not read.
    Promise.all([call(api.GET('/me')), call(api.GET('/health'))]).then(
      ([who, health]) => {
        if (!current) return;
        live.start(health.position);
        session.me.value = who;
        void loadEntities().catch(() => undefined);
      },
      (error: unknown) => {
        if (current && error instanceof ApiError && error.status === 401) session.end('refused');
      },
    );
    return () => {
      current = false;
    };
  }, [token]);
  if (token === null) return <SignIn />;
  if (me === null) return <p class="loading">{t('common.loading')}</p>;
  return (
    <>
      <Header />
      <Page />
    </>
  );
}
