import { useCallback } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { useAction } from '../../components/action';
import { Link } from '../../components/link';
import { useLoad } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import { session } from '../../session';
import { Adopted } from './adopted';
import { DeclarationHistory } from './declarationHistory';
import { useEditionTopic } from './live';
import { Missing } from './page';
import { Paragraphs } from './paragraphs';
import { Silence } from './silence';

import type { Declaration } from './model';

/** Reads the declaration; undefined (not an error) while it has not been drafted. */
async function readDeclaration(id: string): Promise<Declaration | undefined> {
  try {
    return await call(api.GET('/editions/{id}/declaration', { params: { path: { id } } }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * The edition's outcome declaration: its numbered paragraphs, the secretariat's editing while in draft, the
 * silence procedure with its countdown and breaks, the adopted text with its hash and signature, and the
 * history. Every event of the edition's topic reads it again, so others' changes appear without reload.
 */
export function DeclarationPage({ id }: { id: string }) {
  const edition = useLoad(() => call(api.GET('/editions/{id}', { params: { path: { id } } })), [id]);
  const declaration = useLoad(() => readDeclaration(id), [id]);
  const history = useLoad(
    () => call(api.GET('/editions/{id}/declaration/history', { params: { path: { id }, query: { limit: 200 } } })),
    [id],
  );
  const reloadEdition = edition.reload;
  const reloadDeclaration = declaration.reload;
  const reloadHistory = history.reload;
  const changed = useCallback(() => {
    reloadEdition();
    reloadDeclaration();
    reloadHistory();
  }, [reloadEdition, reloadDeclaration, reloadHistory]);
  const refused = useEditionTopic(id, changed);
  const view = edition.data;
  if (!view) return <Missing error={edition.error} loading={edition.loading} retry={reloadEdition} />;
  const text = declaration.data;
  const secretariat = session.me.value?.role === 'secretariat';
  return (
    <main id="content" class="declaration-page">
      <p>
        <Link to={`/editions/${encodeURIComponent(id)}`}>{t('declaration.back', { number: view.number })}</Link>
      </p>
      <h1>{t('declaration.heading', { number: view.number })}</h1>
      {refused && (
        <p class="problem" role="alert">
          {t('edition.refused')}
        </p>
      )}
      <ProblemNotice error={declaration.error} />
      {text === undefined ? (
        declaration.loading ? (
          <p class="loading">{t('common.loading')}</p>
        ) : (
          <NotDrafted id={id} secretariat={secretariat} changed={changed} />
        )
      ) : (
        <>
          <p class="declaration-status">
            <span class={`status status-${text.status}`}>{t(`declaration.status.${text.status}`)}</span>{' '}
            {t('declaration.revision', { revision: text.revision })}
          </p>
          {text.status === 'adopted' && <Adopted declaration={text} />}
          <Silence declaration={text} edition={view} secretariat={secretariat} changed={changed} />
          <Paragraphs declaration={text} editable={secretariat && text.status === 'draft'} changed={changed} />
          <DeclarationHistory id={id} loaded={history} current={text.revision} />
        </>
      )}
    </main>
  );
}

function NotDrafted({ id, secretariat, changed }: { id: string; secretariat: boolean; changed: () => void }) {
  const action = useAction();
  const draft = () =>
    void action.run(async () => {
      await call(api.POST('/editions/{id}/declaration', { params: { path: { id } }, body: {} }));
      changed();
    });
  return (
    <section aria-label={t('declaration.draft.region')}>
      <p>{t('declaration.notDrafted')}</p>
      <ProblemNotice error={action.error} />
      {secretariat && (
        <>
          <p class="hint">{t('declaration.draft.hint')}</p>
          <button type="button" disabled={action.busy} onClick={draft}>
            {t('declaration.draft.submit')}
          </button>
        </>
      )}
    </section>
  );
}
