import { entityName } from '../../entities';
import { t } from '../../i18n';

/** The entities whose delegates have this group open now, as the group's topic reports them. */
export function PresenceList({ entities }: { entities: string[] | null }) {
  return (
    <section class="presence" aria-label={t('proposals.presence')}>
      <h2>{t('proposals.presence')}</h2>
      {entities === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : entities.length === 0 ? (
        <p class="muted">{t('proposals.presenceNone')}</p>
      ) : (
        <ul class="presence-list">
          {entities.map((id) => (
            <li key={id}>{entityName(id)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
