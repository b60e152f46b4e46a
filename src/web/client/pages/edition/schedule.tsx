import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entities } from '../../entities';
import { t } from '../../i18n';

interface Props {
  nextNumber: number;
  scheduled: (id: string) => void;
}

const EMPTY = { title: '', startsOn: '', endsOn: '', venue: '', host: '' };

/** The secretariat's form for a new edition; the fields keep their text when the service refuses it. */
export function ScheduleForm({ nextNumber, scheduled }: Props) {
  const [number, setNumber] = useState('');
  const [fields, setFields] = useState(EMPTY);
  const action = useAction();
  const set = (name: keyof typeof EMPTY) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setFields((current) => ({ ...current, [name]: value }));
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const body = {
        number: Number(number || nextNumber),
        title: fields.title,
        startsOn: fields.startsOn,
        endsOn: fields.endsOn,
        venue: fields.venue,
        ...(fields.host ? { hostEntityId: fields.host } : {}),
      };
      const created = await call(api.POST('/editions', { body }));
      setFields(EMPTY);
      setNumber('');
      scheduled(created.id);
    });
  };
  return (
    <section aria-label={t('editions.schedule.region')} class="schedule-edition">
      <h2>{t('editions.schedule.heading')}</h2>
      <form noValidate onSubmit={submit}>
        <ProblemNotice error={action.error} />
        <Field
          label={t('editions.schedule.number')}
          path="body.number"
          error={action.error}
          hint={t('editions.schedule.numberHint', { number: nextNumber })}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              inputMode="numeric"
              placeholder={String(nextNumber)}
              value={number}
              onInput={(event) => setNumber(event.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('editions.schedule.title')} path="body.title" error={action.error}>
          {(props) => <input {...props} required value={fields.title} onInput={set('title')} />}
        </Field>
        <div class="field-row">
          <Field label={t('editions.schedule.startsOn')} path="body.startsOn" error={action.error}>
            {(props) => <input {...props} type="date" required value={fields.startsOn} onInput={set('startsOn')} />}
          </Field>
          <Field label={t('editions.schedule.endsOn')} path="body.endsOn" error={action.error}>
            {(props) => <input {...props} type="date" required value={fields.endsOn} onInput={set('endsOn')} />}
          </Field>
        </div>
        <Field label={t('editions.schedule.venue')} path="body.venue" error={action.error}>
          {(props) => <input {...props} required value={fields.venue} onInput={set('venue')} />}
        </Field>
        <Field label={t('editions.schedule.host')} path="body.hostEntityId" error={action.error}>
          {(props) => (
            <select {...props} value={fields.host} onChange={set('host')}>
              <option value="">{t('editions.schedule.noHost')}</option>
              {[...entities.value.values()].map((entity) => (
                <option key={entity.id} value={entity.id}>
                  {entity.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={action.busy}>
          {t('editions.schedule.submit')}
        </button>
      </form>
    </section>
  );
}
