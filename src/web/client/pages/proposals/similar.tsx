import { Link } from '../../components/link';
import type { Schemas } from '../../api';
import { formatNumber, t } from '../../i18n';

/**
 * Proposals of any group like the one being written, as the API lists them (a submission's 201, or the
 * similar-proposals query while typing), each linking to its page.
 */
export function SimilarProposals({
  items,
  groupName,
  heading,
}: {
  items: Schemas['SimilarProposal'][];
  groupName: (id: string) => string;
  heading: string;
}) {
  if (items.length === 0) return null;
  return (
    <section class="similar" aria-label={heading}>
      <h3>{heading}</h3>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            <Link to={`/proposals/${encodeURIComponent(item.id)}`} dir="auto">
              {item.title}
            </Link>{' '}
            <span class="muted">
              {t('proposals.similar.where', {
                group: groupName(item.groupId),
                percent: formatNumber(Math.round(item.score * 100)),
              })}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
