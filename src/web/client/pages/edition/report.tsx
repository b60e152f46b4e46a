import { api, call, type Schemas } from '../../api';
import { Link } from '../../components/link';
import type { Loaded } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatDate, formatTime, t } from '../../i18n';
import { DownloadButton } from './download';

type EditionReport = Schemas['EditionReport'];
type ReportProposal = Schemas['ReportProposal'];
type ReportActionItem = Schemas['ReportActionItem'];

/** What the Dialogue decided and has to follow up since the previous edition, and the report as Markdown. */
export function Report({ id, loaded }: { id: string; loaded: Loaded<EditionReport> }) {
  const report = loaded.data;
  return (
    <section aria-label={t('edition.report.region')} class="edition-report">
      <h2>{t('edition.report.heading')}</h2>
      <ProblemNotice error={loaded.error} />
      {!report ? (
        loaded.loading && <p class="loading">{t('common.loading')}</p>
      ) : (
        <>
          <p>
            {report.period.from
              ? t('edition.report.period', { from: formatDate(report.period.from), to: formatDate(report.period.to) })
              : t('edition.report.periodFirst', { to: formatDate(report.period.to) })}
          </p>
          <DownloadButton
            label={t('edition.report.download')}
            fileName={`edition-${report.number}-report.md`}
            read={() =>
              call(api.GET('/editions/{id}/report.md', { params: { path: { id } }, parseAs: 'blob' })) as Promise<Blob>
            }
          />
          <h3>{t('edition.report.adopted')}</h3>
          <Proposals items={report.proposals.adopted} />
          <h3>{t('edition.report.rejected')}</h3>
          <Proposals items={report.proposals.rejected} />
          <h3>{t('edition.report.opened')}</h3>
          <Items items={report.actionItems.opened} />
          <h3>{t('edition.report.carriedOver')}</h3>
          <Items items={report.actionItems.carriedOver} />
        </>
      )}
    </section>
  );
}

function Proposals({ items }: { items: ReportProposal[] }) {
  if (items.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <ul class="report-proposals">
      {items.map((proposal) => (
        <li key={proposal.id}>
          <Link to={`/proposals/${encodeURIComponent(proposal.id)}`} dir="auto">
            {proposal.title}
          </Link>
          <p class="muted">
            {t('edition.report.decision', {
              chair: entityName(proposal.decision.chairEntityId),
              time: formatTime(proposal.decision.decidedAt),
            })}
          </p>
          <p dir="auto">{proposal.decision.note}</p>
        </li>
      ))}
    </ul>
  );
}

function Items({ items }: { items: ReportActionItem[] }) {
  if (items.length === 0) return <p class="muted">{t('common.none')}</p>;
  return (
    <ul class="report-items">
      {items.map((item) => (
        <li key={item.id} class={item.overdue ? 'overdue' : undefined}>
          <span dir="auto">{item.title}</span>{' '}
          <span class={`status status-${item.status}`}>{t(`edition.report.itemStatus.${item.status}`)}</span>
          {item.overdue && <strong class="overdue-flag"> {t('edition.report.overdue')}</strong>}
          <br />
          <span class="muted">
            {t('edition.report.itemMeta', {
              owner: entityName(item.ownerEntityId),
              due: formatDate(item.dueDate),
              percent: item.percent,
            })}
          </span>
        </li>
      ))}
    </ul>
  );
}
