import type { Schemas } from '../../api';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatDate, formatNumber, t } from '../../i18n';
import { messageParts } from '../format';

type Dashboard = Schemas['Dashboard'];
type Summary = Schemas['ActionItemSummary'];
const BAR_STATUSES = ['open', 'overdue', 'done'] as const;

function Listed({ items, empty }: { items: Summary[]; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ul>
      {items.map((item) => (
        <li key={item.id}>
          {messageParts('actionItems.listedItem', {
            title: <bdi>{item.title}</bdi>,
            owner: entityName(item.ownerEntityId),
            date: formatDate(item.dueDate),
          })}
        </li>
      ))}
    </ul>
  );
}

/**
 * Owners' items as stacked bars, one per owner. Each bar is an image named by its figures, and the same
 * figures stand in the table below it, so nothing is told by length or colour alone.
 */
function OwnerChart({ byOwner }: { byOwner: Dashboard['byOwner'] }) {
  const owners = Object.entries(byOwner).sort(([a], [b]) => entityName(a).localeCompare(entityName(b)));
  if (owners.length === 0) return <p class="muted">{t('actionItems.noOwners')}</p>;
  const widest = Math.max(1, ...owners.map(([, counts]) => counts.open + counts.overdue + counts.done));
  return (
    <figure class="owner-chart">
      <figcaption>{t('actionItems.chartHeading')}</figcaption>
      <p class="chart-legend" aria-hidden="true">
        {BAR_STATUSES.map((status) => (
          <span key={status} class={`chart-key bar-${status}`}>
            {t(`actionItems.status.${status}`)}
          </span>
        ))}
      </p>
      <ul class="chart-bars">
        {owners.map(([owner, counts]) => {
          const label = t('actionItems.chart.bar', {
            owner: entityName(owner),
            open: counts.open,
            overdue: counts.overdue,
            done: counts.done,
          });
          return (
            <li key={owner}>
              <span class="chart-owner" aria-hidden="true">
                {entityName(owner)}
              </span>
              <span class="chart-bar" role="img" aria-label={label}>
                {BAR_STATUSES.map((status) =>
                  counts[status] === 0 ? null : (
                    <span
                      key={status}
                      class={`bar-${status}`}
                      style={{ inlineSize: `${(counts[status] / widest) * 100}%` }}
                    >
                      {formatNumber(counts[status])}
                    </span>
                  ),
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <table>
        <caption class="visually-hidden">{t('actionItems.byOwnerHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('actionItems.owner')}</th>
            {BAR_STATUSES.map((status) => (
              <th key={status} scope="col">
                {t(`actionItems.count.${status}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {owners.map(([owner, counts]) => (
            <tr key={owner}>
              <th scope="row">{entityName(owner)}</th>
              {BAR_STATUSES.map((status) => (
                <td key={status}>{formatNumber(counts[status])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The group's figures: counts by status, what is late, what is due within a week, and who owns what. */
export function DashboardRegion({ dashboard, error }: { dashboard: Dashboard | undefined; error: unknown }) {
  return (
    <section aria-label={t('actionItems.dashboard')} class="dashboard">
      <h2>{t('actionItems.dashboard')}</h2>
      <ProblemNotice error={error} />
      {dashboard && (
        <>
          <p class="muted">{t('actionItems.dashboard.today', { date: formatDate(dashboard.today) })}</p>
          <dl class="counts">
            {(['open', 'overdue', 'done', 'cancelled'] as const).map((status) => (
              <div key={status} class={`count count-${status}`}>
                <dt>{t(`actionItems.count.${status}`)}</dt>
                <dd>{formatNumber(dashboard.counts[status])}</dd>
              </div>
            ))}
          </dl>
          <div class="dashboard-lists">
            <div>
              <h3>{t('actionItems.overdueHeading')}</h3>
              <Listed items={dashboard.overdue} empty={t('actionItems.noneOverdue')} />
            </div>
            <div>
              <h3>{t('actionItems.dueSoonHeading')}</h3>
              <Listed items={dashboard.dueSoon} empty={t('actionItems.noneDueSoon')} />
            </div>
          </div>
          <h3>{t('actionItems.byOwnerHeading')}</h3>
          <OwnerChart byOwner={dashboard.byOwner} />
        </>
      )}
    </section>
  );
}
