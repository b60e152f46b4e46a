import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entities, entityName } from '../../entities';
import { formatList } from '../format';
import { t, tn } from '../../i18n';
import type { EditionView } from './model';

interface Props {
  view: EditionView;
  /** The secretariat, while the edition's record is open, records and withdraws attendance. */
  manage: boolean;
  changed: () => void;
}

/** The entities present with their delegates, and the quorum (member entities only: observers never count). */
export function Attendance({ view, manage, changed }: Props) {
  const { membersPresent, membersTotal } = view.quorum;
  return (
    <section aria-label={t('edition.attendance.region')} class="attendance">
      <h2>{t('edition.attendance.heading')}</h2>
      <p class="quorum">{t('edition.attendance.quorum', { present: membersPresent, total: membersTotal })}</p>
      {view.attendance.length === 0 ? (
        <p class="muted">{t('edition.attendance.empty')}</p>
      ) : (
        <ul>
          {view.attendance.map((entry) => (
            <li key={entry.entityId}>
              <strong>{entityName(entry.entityId)}</strong>{' '}
              <span class="muted">{t(`edition.attendance.kind.${entry.entityKind}`)}</span>
              <br />
              <span dir="auto">
                {tn('edition.attendance.delegates', entry.delegates.length, { names: formatList(entry.delegates) })}
              </span>
              {manage && <Withdraw editionId={view.id} entityId={entry.entityId} changed={changed} />}
            </li>
          ))}
        </ul>
      )}
      {manage && <RecordForm view={view} changed={changed} />}
    </section>
  );
}

function Withdraw({ editionId, entityId, changed }: { editionId: string; entityId: string; changed: () => void }) {
  const action = useAction();
  const withdraw = () =>
    void action.run(async () => {
      await call(api.DELETE('/editions/{id}/attendance/{entityId}', { params: { path: { id: editionId, entityId } } }));
      changed();
    });
  return (
    <>
      {' '}
      <button
        type="button"
        class="secondary small"
        disabled={action.busy}
        aria-label={t('edition.attendance.withdrawNamed', { name: entityName(entityId) })}
        onClick={withdraw}
      >
        {t('edition.attendance.withdraw')}
      </button>
      <ProblemNotice error={action.error} />
    </>
  );
}

function RecordForm({ view, changed }: { view: EditionView; changed: () => void }) {
  const [entityId, setEntityId] = useState('');
  const [delegates, setDelegates] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    const names = delegates
      .split('\n')
      .map((name) => name.trim())
      .filter(Boolean);
    void action.run(async () => {
      await call(
        api.POST('/editions/{id}/attendance', {
          params: { path: { id: view.id } },
          body: { entityId, delegates: names },
        }),
      );
      setEntityId('');
      setDelegates('');
      changed();
    });
  };
  return (
    <form noValidate onSubmit={submit} class="record-attendance">
      <h3>{t('edition.attendance.recordHeading')}</h3>
      <ProblemNotice error={action.error} />
      <Field label={t('edition.attendance.entity')} path="body.entityId" error={action.error}>
        {(props) => (
          <select {...props} required value={entityId} onChange={(event) => setEntityId(event.currentTarget.value)}>
            <option value="">{t('edition.attendance.chooseEntity')}</option>
            {[...entities.value.values()].map((entity) => (
              <option key={entity.id} value={entity.id}>
                {entity.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label={t('edition.attendance.delegateNames')}
        path="body.delegates"
        error={action.error}
        hint={t('edition.attendance.delegateNamesHint')}
      >
        {(props) => (
          <textarea
            {...props}
            required
            rows={3}
            value={delegates}
            onInput={(event) => setDelegates(event.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={action.busy}>
        {t('edition.attendance.record')}
      </button>
    </form>
  );
}
