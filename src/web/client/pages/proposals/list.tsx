import { memo } from 'preact/compat';
import { Link } from '../../components/link';
import { entityName } from '../../entities';
import { formatNumber, formatTime, t, tn } from '../../i18n';
import { formatList } from '../format';
import { pillarName, type ProposalSummary } from './filters';

/** One row; memoised, so a live event re-renders its own row, not the page's fifty. */
const Row = memo(function Row({ row, ranked }: { row: ProposalSummary; ranked: boolean }) {
  return (
    <tr data-proposal={row.id}>
      <th scope="row">
        <Link to={`/proposals/${encodeURIComponent(row.id)}`} dir="auto">
          {row.title}
        </Link>
      </th>
      <td>
        <span class={`status status-${row.status}`}>{t(`proposals.status.${row.status}`)}</span>
      </td>
      <td>{formatList(row.pillars.map(pillarName)) || t('common.none')}</td>
      <td>{t(`proposals.visibility.${row.visibility}`)}</td>
      <td>{entityName(row.authorEntityId)}</td>
      <td>
        <ul class="stance-counts">
          <li>{tn('proposals.endorsements', row.counts.endorsements)}</li>
          <li>{tn('proposals.objections', row.counts.objections)}</li>
          <li>{tn('proposals.comments', row.counts.comments)}</li>
        </ul>
      </td>
      <td>
        <time dateTime={row.lastActivityAt}>{formatTime(row.lastActivityAt)}</time>
      </td>
      {ranked && <td>{row.score === undefined ? '' : formatNumber(Math.round(row.score * 100) / 100)}</td>}
    </tr>
  );
});

/** The proposal rows: what a delegate needs to triage without opening each proposal. */
export function ProposalTable({ rows, ranked }: { rows: ProposalSummary[]; ranked: boolean }) {
  return (
    <table class="proposal-list">
      <thead>
        <tr>
          <th scope="col">{t('proposals.column.title')}</th>
          <th scope="col">{t('proposals.column.status')}</th>
          <th scope="col">{t('proposals.column.pillars')}</th>
          <th scope="col">{t('proposals.column.visibility')}</th>
          <th scope="col">{t('proposals.column.author')}</th>
          <th scope="col">{t('proposals.column.counts')}</th>
          <th scope="col">{t('proposals.column.activity')}</th>
          {ranked && <th scope="col">{t('proposals.column.score')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <Row key={row.id} row={row} ranked={ranked} />
        ))}
      </tbody>
    </table>
  );
}
