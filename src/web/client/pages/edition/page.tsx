import { useCallback } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { Link } from '../../components/link';
import { useLoad } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatDate, t } from '../../i18n';
import { session } from '../../session';
import { Agenda } from './agenda';
import { Attendance } from './attendance';
import { useEditionTopic } from './live';
import { Report } from './report';

import type { EditionView } from './model';

/** One edition: its facts, agenda, attendance with the quorum, and report, live. */
export function EditionPage({ id }: { id: string }) {
  const edition = useLoad(() => call(api.GET('/editions/{id}', { params: { path: { id } } })), [id]);
  const report = useLoad(() => call(api.GET('/editions/{id}/report', { params: { path: { id } } })), [id]);
  const { reload } = edition;
  const reloadReport = report.reload;
  const changed = useCallback(() => {
    reload();
    reloadReport();
  }, [reload, reloadReport]);
  const refused = useEditionTopic(id, changed);
  const view = edition.data;
  if (!view) return <Missing error={edition.error} loading={edition.loading} retry={reload} />;
  const secretariat = session.me.value?.role === 'secretariat';
  const closed = view.declaration?.status === 'adopted';
  return (
    <main id="content" class="edition-page">
      <p>
        <Link to="/editions">{t('edition.back')}</Link>
      </p>
      <h1 dir="auto">{t('edition.name', { number: view.number, title: view.title })}</h1>
      {refused && (
        <p class="problem" role="alert">
          {t('edition.refused')}
        </p>
      )}
      <Facts view={view} />
      <Agenda view={view} manage={secretariat && !closed} changed={changed} />
      <Attendance view={view} manage={secretariat && !closed} changed={changed} />
      <Report id={id} loaded={report} />
    </main>
  );
}

export function Missing({ error, loading, retry }: { error: unknown; loading: boolean; retry: () => void }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <main id="content">
        <h1>{t('common.notFound')}</h1>
        <Link to="/editions">{t('edition.back')}</Link>
      </main>
    );
  }
  return (
    <main id="content">
      <ProblemNotice error={error} />
      {loading ? (
        <p class="loading">{t('common.loading')}</p>
      ) : (
        <button type="button" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </main>
  );
}

function Facts({ view }: { view: EditionView }) {
  const declaration = `/editions/${encodeURIComponent(view.id)}/declaration`;
  return (
    <dl class="facts">
      <dt>{t('edition.fact.dates')}</dt>
      <dd>{t('edition.when', { from: formatDate(view.startsOn), to: formatDate(view.endsOn) })}</dd>
      <dt>{t('edition.fact.venue')}</dt>
      <dd dir="auto">{view.venue}</dd>
      <dt>{t('edition.fact.host')}</dt>
      <dd>{view.hostEntityId ? entityName(view.hostEntityId) : t('common.none')}</dd>
      <dt>{t('edition.fact.declaration')}</dt>
      <dd>
        {view.declaration ? t(`declaration.status.${view.declaration.status}`) : t('declaration.status.none')}
        {' · '}
        <Link to={declaration}>{t('edition.declarationLink')}</Link>
      </dd>
    </dl>
  );
}
