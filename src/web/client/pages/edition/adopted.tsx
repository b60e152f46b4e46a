import { api, call } from '../../api';
import { entityName } from '../../entities';
import { formatTime, t } from '../../i18n';
import { formatList } from '../format';
import type { Declaration } from './model';
import { DownloadButton } from './download';

/** The adopted declaration's seal: when, by whom, the hash of its text, the server's signature and the receipt. */
export function Adopted({ declaration }: { declaration: Declaration }) {
  const id = declaration.editionId;
  const name = `declaration-${declaration.editionNumber}`;
  return (
    <section aria-label={t('declaration.adopted.region')} class="adopted">
      <h2>{t('declaration.adopted.heading')}</h2>
      <dl class="facts">
        <dt>{t('declaration.adopted.at')}</dt>
        <dd>{declaration.adoptedAt ? formatTime(declaration.adoptedAt) : ''}</dd>
        <dt>{t('declaration.adopted.by')}</dt>
        <dd>{formatList((declaration.adoptedBy ?? []).map(entityName)) || t('common.none')}</dd>
        <dt>{t('declaration.adopted.hash')}</dt>
        <dd>
          <code class="seal">{declaration.textHash}</code>
        </dd>
        <dt>{t('declaration.adopted.signature')}</dt>
        <dd>
          <code class="seal">{declaration.signature}</code>
        </dd>
        {declaration.receipt && (
          <>
            <dt>{t('declaration.adopted.receipt')}</dt>
            <dd>
              {t('declaration.adopted.receiptValue', { position: declaration.receipt.position })}{' '}
              <code class="seal">{declaration.receipt.hash}</code>
            </dd>
          </>
        )}
      </dl>
      <p class="actions">
        <DownloadButton
          label={t('declaration.adopted.markdown')}
          fileName={`${name}.md`}
          read={() =>
            call(
              api.GET('/editions/{id}/declaration.md', { params: { path: { id } }, parseAs: 'blob' }),
            ) as Promise<Blob>
          }
        />
        <DownloadButton
          label={t('declaration.adopted.html')}
          fileName={`${name}.html`}
          read={() =>
            call(
              api.GET('/editions/{id}/declaration.html', { params: { path: { id } }, parseAs: 'blob' }),
            ) as Promise<Blob>
          }
        />
      </p>
      <p class="hint">{t('declaration.adopted.verifyHint')}</p>
    </section>
  );
}
