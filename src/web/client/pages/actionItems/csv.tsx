import { useId } from 'preact/hooks';
import { useAction } from '../../components/action';
import { api, call } from '../../api';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import type { Filters } from './model';

const CSV_URL_LIFETIME_MS = 1000;

/**
 * The meeting pack as a file. The CSV needs the bearer token, which a plain link cannot send: it is fetched
 * through the typed client and handed to the browser as an object URL on an `<a download>`.
 */
export function CsvDownload({ groupId, filters }: { groupId: string; filters: Filters }) {
  const { busy, error, run } = useAction();
  const hint = useId();
  const download = () =>
    run(async () => {
      const query = {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.owner ? { owner: filters.owner } : {}),
      };
      const csv = await call(
        api.GET('/groups/{groupId}/action-items.csv', { params: { path: { groupId }, query }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(csv);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${groupId}-action-items.csv`;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      // Some browsers start reading the file after the click's task: the URL is freed a moment later.
      setTimeout(() => URL.revokeObjectURL(url), CSV_URL_LIFETIME_MS);
    });
  return (
    <div class="csv">
      <button type="button" class="secondary" aria-describedby={hint} disabled={busy} onClick={() => void download()}>
        {t('actionItems.csv')}
      </button>
      <p class="hint" id={hint}>
        {t('actionItems.csvHint')}
      </p>
      <ProblemNotice error={error} />
    </div>
  );
}
