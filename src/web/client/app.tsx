import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, call } from './api';
import { Link } from './components/link';
import { ProblemNotice } from './components/problem';
import { forgetEntities, loadEntities } from './entities';
import { forgetGroups } from './groups';
import { t } from './i18n';
import { live } from './live';
import { ActionItemsPage } from './pages/actionItems';
import { AdminPage } from './pages/admin';
import { AuditPage } from './pages/audit';
import { DeclarationPage } from './pages/edition/declaration';
import { EditionPage } from './pages/edition/page';
import { EditionsPage } from './pages/editions';
import { GroupsPage } from './pages/groups';
import { ProposalPage } from './pages/proposal';
import { ProposalsPage } from './pages/proposals';
import { SignIn } from './pages/signIn';
import { href, match, route } from './router';
import { session } from './session';

function Page() {
  const { path } = route.value;
  if (path === '/') return <GroupsPage />;
  const actionItems = match('/groups/:groupId/action-items', path);
  if (actionItems) return <ActionItemsPage key={actionItems.groupId} groupId={actionItems.groupId ?? ''} />;
  const group = match('/groups/:groupId', path);
  if (group) return <ProposalsPage key={group.groupId} groupId={group.groupId ?? ''} />;
  const proposal = match('/proposals/:id', path);
  if (proposal) return <ProposalPage key={proposal.id} id={proposal.id ?? ''} />;
  if (match('/editions', path)) return <EditionsPage />;
  const declaration = match('/editions/:id/declaration', path);
  if (declaration) return <DeclarationPage key={declaration.id} id={declaration.id ?? ''} />;
  const edition = match('/editions/:id', path);
  if (edition) return <EditionPage key={edition.id} id={edition.id ?? ''} />;
  if (match('/audit', path)) return <AuditPage />;
  if (match('/admin', path)) return <AdminPage />;
  return (
    <main id="content">
      <h1>{t('common.notFound')}</h1>
      <Link to="/">{t('nav.groups')}</Link>
    </main>
  );
}

/**
 * The skip link's address is this page at its content (a bare `#content` would resolve against <base>, to
 * /app/); following it in place moves the focus itself, leaving the address as it is.
 */
function contentAddress(): string {
  const { path, query } = route.value;
  const search = query.toString();
  return `${href(path)}${search ? `?${search}` : ''}#content`;
}

function skipToContent(event: MouseEvent): void {
  event.preventDefault();
  focusContent();
}

function focusContent(): void {
  const main = document.getElementById('content');
  if (!main) return;
  main.tabIndex = -1;
  main.focus();
}

/**
 * Each page's title names its heading, and after a move to another page the focus goes to its content, so
 * that a screen reader announces where the user now is instead of staying on the link that was followed.
 */
function useDocumentTitle(): void {
  const path = route.value.path;
  const first = useRef(true);
  useEffect(() => {
    const name = () => {
      const heading = document.querySelector('main h1')?.textContent?.trim();
      document.title = heading ? t('app.pageTitle', { page: heading }) : t('app.title');
    };
    name();
    const observer = new MutationObserver(name);
    const root = document.getElementById('root');
    if (root) observer.observe(root, { childList: true, subtree: true, characterData: true });
    if (first.current) first.current = false;
    else focusContent();
    return () => observer.disconnect();
  }, [path]);
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
      <a class="skip" href={contentAddress()} onClick={skipToContent}>
        {t('app.skip')}
      </a>
      <p class="brand">{t('app.title')}</p>
      <nav aria-label={t('nav.main')}>
        <Link to="/">{t('nav.groups')}</Link>
        <Link to="/editions">{t('nav.editions')}</Link>
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
  const [failure, setFailure] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (token === null) {
      live.stop();
      forgetEntities();
      forgetGroups();
      return;
    }
    let current = true;
    setFailure(null);
    // The head is read before any page's data, so that subscribing from it misses nothing the page did not read.
    Promise.all([call(api.GET('/me')), call(api.GET('/health'))]).then(
      ([who, health]) => {
        if (!current) return;
        live.start(health.position);
        session.me.value = who;
        void loadEntities().catch(() => undefined);
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiError && error.status === 401) session.end('refused');
        else setFailure(error);
      },
    );
    return () => {
      current = false;
    };
  }, [token, attempt]);
  useDocumentTitle();
  if (token === null) return <SignIn />;
  if (me === null) {
    if (failure === null) return <p class="loading">{t('common.loading')}</p>;
    return (
      <main id="content">
        <ProblemNotice error={failure} />
        <button type="button" onClick={() => setAttempt((value) => value + 1)}>
          {t('common.retry')}
        </button>
      </main>
    );
  }
  return (
    <>
      <Header />
      <Page />
    </>
  );
}
