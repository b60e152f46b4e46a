import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import { Link } from '../../components/link';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import type { EditionView } from './model';

interface Props {
  view: EditionView;
  /** The secretariat, while the edition's record is open, adds and removes proposals. */
  manage: boolean;
  changed: () => void;
}

/** The proposals on the edition's agenda, in agenda order (only those this user may see). */
export function Agenda({ view, manage, changed }: Props) {
  const [proposalId, setProposalId] = useState('');
  const action = useAction();
  const path = { id: view.id };
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await call(api.POST('/editions/{id}/agenda', { params: { path }, body: { proposalId: proposalId.trim() } }));
      setProposalId('');
      changed();
    });
  };
  const remove = (id: string) =>
    void action.run(async () => {
      await call(api.DELETE('/editions/{id}/agenda/{proposalId}', { params: { path: { ...path, proposalId: id } } }));
      changed();
    });
  return (
    <section aria-label={t('edition.agenda.region')} class="agenda">
      <h2>{t('edition.agenda.heading')}</h2>
      <ProblemNotice error={action.error} />
      {view.agenda.length === 0 ? (
        <p class="muted">{t('edition.agenda.empty')}</p>
      ) : (
        <ol>
          {view.agenda.map((item) => (
            <li key={item.proposalId}>
              <Link to={`/proposals/${encodeURIComponent(item.proposalId)}`} dir="auto">
                {item.title}
              </Link>{' '}
              <span class={`status status-${item.status}`}>{t(`proposal.status.${item.status}`)}</span>{' '}
              <span class="muted">{t('edition.agenda.group', { group: item.groupId })}</span>
              {manage && (
                <button
                  type="button"
                  class="secondary small"
                  disabled={action.busy}
                  aria-label={t('edition.agenda.removeNamed', { title: item.title })}
                  onClick={() => remove(item.proposalId)}
                >
                  {t('edition.agenda.remove')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {manage && (
        <form noValidate onSubmit={add} class="inline-form">
          <Field
            label={t('edition.agenda.proposalId')}
            path="body.proposalId"
            error={action.error}
            hint={t('edition.agenda.proposalIdHint')}
          >
            {(props) => (
              <input
                {...props}
                required
                value={proposalId}
                onInput={(event) => setProposalId(event.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={action.busy}>
            {t('edition.agenda.add')}
          </button>
        </form>
      )}
    </section>
  );
}
