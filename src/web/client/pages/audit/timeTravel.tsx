import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { Field } from '../../components/field';
import { useLoad } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatDate, formatTime, t } from '../../i18n';
import { Changes } from './changes';
import { type GroupState, readState } from './stateData';

function StateTables({ state }: { state: GroupState }) {
  return (
    <>
      <p>
        {state.recordedAt === null
          ? t('audit.travel.atEmpty', { position: state.position })
          : t('audit.travel.at', { position: state.position, time: formatTime(state.recordedAt) })}
      </p>
      <section aria-label={t('audit.travel.proposals')}>
        <h3>{t('audit.travel.proposals')}</h3>
        {state.proposals.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('audit.field.title')}</th>
                <th scope="col">{t('audit.field.status')}</th>
                <th scope="col">{t('audit.field.revision')}</th>
                <th scope="col">{t('audit.field.endorsements')}</th>
                <th scope="col">{t('audit.field.objections')}</th>
              </tr>
            </thead>
            <tbody>
              {state.proposals.map((proposal) => (
                <tr key={proposal.id}>
                  <th scope="row" dir="auto">
                    {proposal.title}
                  </th>
                  <td>
                    <span class="status">{t(`audit.status.${proposal.status}`)}</span>
                  </td>
                  <td>{proposal.revision}</td>
                  <td>{proposal.endorsements.length}</td>
                  <td>{proposal.objections.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label={t('audit.travel.actionItems')}>
        <h3>{t('audit.travel.actionItems')}</h3>
        {state.actionItems.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('audit.field.title')}</th>
                <th scope="col">{t('audit.field.owner')}</th>
                <th scope="col">{t('audit.field.status')}</th>
                <th scope="col">{t('audit.field.percent')}</th>
                <th scope="col">{t('audit.field.dueDate')}</th>
              </tr>
            </thead>
            <tbody>
              {state.actionItems.map((item) => (
                <tr key={item.id}>
                  <th scope="row" dir="auto">
                    {item.title}
                  </th>
                  <td>{entityName(item.ownerEntityId)}</td>
                  <td>
                    <span class="status">{t(`audit.status.${item.status}`)}</span>
                  </td>
                  <td>{item.percent}</td>
                  <td>{formatDate(item.dueDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** A `datetime-local` value (the reader's local time) as the ISO time the API resolves to a position. */
function isoFromLocal(value: string): string | null {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * A group as it stood at a chosen position: the slider picks the position, the date picker the last position
 * at or before a time (the API resolves the time: `GET /audit/state?at=<ISO time>` answers its position).
 */
export function TimeTravel({ head }: { head: number }) {
  const groups = useLoad(() => call(api.GET('/groups')), []);
  const [group, setGroup] = useState('');
  const [slider, setSlider] = useState(0);
  const [at, setAt] = useState<string | null>(null);
  const chosen = group || groups.data?.[0]?.id || '';
  const state = useLoad(
    () => (at === null || chosen === '' ? Promise.resolve(null) : readState(chosen, at)),
    [chosen, at],
  );
  // The slider follows the position a time resolved to (and starts at the head).
  useEffect(() => {
    if (state.data) setSlider(state.data.position);
  }, [state.data]);
  useEffect(() => {
    if (at === null) setSlider(head);
  }, [head, at]);
  return (
    <section aria-label={t('audit.travel.region')}>
      <h2>{t('audit.travel.heading')}</h2>
      <ProblemNotice error={groups.error} />
      <div class="filters">
        <Field label={t('audit.travel.group')}>
          {(props) => (
            <select {...props} value={chosen} onChange={(changed) => setGroup(changed.currentTarget.value)}>
              {groups.data?.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('audit.travel.date')} hint={t('audit.travel.dateHint')}>
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              step={1}
              onChange={(changed) => {
                const iso = isoFromLocal(changed.currentTarget.value);
                if (iso !== null) setAt(iso);
              }}
            />
          )}
        </Field>
      </div>
      {head > 0 && (
        <Field label={t('audit.travel.position')} hint={t('audit.travel.positionHint', { head })}>
          {(props) => (
            <div class="slider">
              <input
                {...props}
                type="range"
                min={1}
                max={head}
                step={1}
                value={slider}
                aria-valuetext={t('audit.travel.positionValue', { position: slider, head })}
                onInput={(input) => setSlider(Number(input.currentTarget.value))}
                onChange={(changed) => setAt(changed.currentTarget.value)}
              />
              <output for={props.id}>{t('audit.travel.positionValue', { position: slider, head })}</output>
            </div>
          )}
        </Field>
      )}
      <ProblemNotice error={state.error} />
      <div aria-live="polite" aria-busy={state.loading}>
        {at === null && <p class="muted">{t('audit.travel.prompt')}</p>}
        {state.loading && at !== null && <p class="loading">{t('common.loading')}</p>}
        {state.data && <StateTables state={state.data} />}
      </div>
      {chosen !== '' && <Changes key={chosen} group={chosen} head={head} />}
    </section>
  );
}
