import { api, call, type Schemas } from '../api';
import { Link } from '../components/link';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { entityName } from '../entities';
import { formatDate, t } from '../i18n';
import { navigate } from '../router';
import { session } from '../session';
import { ScheduleForm } from './edition/schedule';

type EditionSummary = Schemas['EditionSummary'];

/** The Dialogue's editions, newest first; the secretariat schedules the next one here. */
export function EditionsPage() {
  const list = useLoad(() => call(api.GET('/editions')), []);
  const secretariat = session.me.value?.role === 'secretariat';
  const items = list.data?.items ?? [];
  return (
    <main id="content" class="editions-page">
      <h1>{t('editions.heading')}</h1>
      <ProblemNotice error={list.error} />
      <section aria-label={t('editions.region')}>
        {list.loading && !list.data && <p class="loading">{t('common.loading')}</p>}
        {list.data && items.length === 0 && <p class="muted">{t('editions.empty')}</p>}
        <ul class="edition-list">
          {items.map((edition) => (
            <EditionRow key={edition.id} edition={edition} />
          ))}
        </ul>
      </section>
      {secretariat && (
        <ScheduleForm
          nextNumber={Math.max(0, ...items.map((edition) => edition.number)) + 1}
          scheduled={(id) => navigate(`/editions/${encodeURIComponent(id)}`)}
        />
      )}
    </main>
  );
}

function EditionRow({ edition }: { edition: EditionSummary }) {
  return (
    <li>
      <h2>
        <Link to={`/editions/${encodeURIComponent(edition.id)}`} dir="auto">
          {t('edition.name', { number: edition.number, title: edition.title })}
        </Link>
      </h2>
      <p>
        {t('edition.when', { from: formatDate(edition.startsOn), to: formatDate(edition.endsOn) })}
        {' · '}
        <span dir="auto">{edition.venue}</span>
        {edition.hostEntityId && <> · {t('edition.hostedBy', { host: entityName(edition.hostEntityId) })}</>}
      </p>
      <p class="muted">
        {edition.declaration ? t(`declaration.status.${edition.declaration.status}`) : t('declaration.status.none')}
      </p>
    </li>
  );
}
