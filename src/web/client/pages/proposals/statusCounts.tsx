import { t } from '../../i18n';
import { type ProposalStatus, STATUSES } from './filters';

/** How many proposals are in each status (all of the group's, whatever the filters). */
export function StatusCountList({ counts }: { counts: Record<ProposalStatus, number> | null }) {
  return (
    <ul class="status-counts" aria-label={t('proposals.statusCounts')}>
      {STATUSES.map((status) => (
        <li key={status} data-status={status}>
          {t('proposals.statusCount', {
            status: t(`proposals.status.${status}`),
            count: counts === null ? '…' : counts[status],
          })}
        </li>
      ))}
    </ul>
  );
}
