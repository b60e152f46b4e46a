import { useState } from 'preact/hooks';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatTime, t, tn } from '../../i18n';
import type { StoredEvent } from './logData';
import type { useEventLog } from './useEventLog';

const HASH_PREFIX = 12;

function Row({ event }: { event: StoredEvent }) {
  const { actor } = event.metadata;
  return (
    <tr>
      <td>{event.position}</td>
      <td>
        <time dateTime={event.recordedAt}>{formatTime(event.recordedAt)}</time>
      </td>
      <td>{event.streamId}</td>
      <td>{event.type}</td>
      <td>{actor.entityId === null ? '' : entityName(actor.entityId)}</td>
      <td dir="auto">{actor.person}</td>
      <td>{t(`role.${actor.role}`)}</td>
      <td>
        <code title={event.hash}>{event.hash.slice(0, HASH_PREFIX)}</code>
      </td>
    </tr>
  );
}

interface Props {
  log: ReturnType<typeof useEventLog>;
  stream: string;
  onStream: (stream: string) => void;
}

/**
 * The log as a table, newest first, with its live tail. The stream filter is the server's (`GET
 * /streams/{streamId}`); the API has no filter by type, so the type filter applies to the rows loaded.
 */
export function EventLog({ log, stream, onStream }: Props) {
  const [streamText, setStreamText] = useState(stream);
  const [type, setType] = useState('');
  const rows = type === '' ? log.rows : log.rows.filter((event) => event.type === type);
  const types = [...new Set(log.rows.map((event) => event.type))].sort();
  const streams = [...new Set(log.rows.map((event) => event.streamId))].sort();
  return (
    <section aria-label={t('audit.log.region')} class="audit-log">
      <h2>{t('audit.log.heading')}</h2>
      <form
        class="filters"
        onSubmit={(submitted) => {
          submitted.preventDefault();
          onStream(streamText.trim());
        }}
      >
        <Field label={t('audit.log.stream')} hint={t('audit.log.streamHint')}>
          {(props) => (
            <input
              {...props}
              list="audit-streams"
              value={streamText}
              onInput={(input) => setStreamText(input.currentTarget.value)}
            />
          )}
        </Field>
        <datalist id="audit-streams">
          {streams.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <button type="submit">{t('audit.log.applyStream')}</button>
        <Field label={t('audit.log.type')} hint={t('audit.log.typeHint')}>
          {(props) => (
            <select {...props} value={type} onChange={(changed) => setType(changed.currentTarget.value)}>
              <option value="">{t('audit.log.anyType')}</option>
              {types.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {(stream !== '' || type !== '') && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setStreamText('');
              setType('');
              onStream('');
            }}
          >
            {t('audit.log.clear')}
          </button>
        )}
      </form>
      <p role="status">
        {stream === ''
          ? tn('audit.log.shown', rows.length, { head: log.head })
          : tn('audit.log.shownStream', rows.length, { stream })}
      </p>
      <ProblemNotice error={log.error} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard can scroll a table wider than the screen only once its region is focusable. */}
      <section class="table-scroll" tabIndex={0} aria-label={t('audit.log.caption')}>
        <table>
          <caption class="visually-hidden">{t('audit.log.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.log.position')}</th>
              <th scope="col">{t('audit.log.time')}</th>
              <th scope="col">{t('audit.log.streamColumn')}</th>
              <th scope="col">{t('audit.log.typeColumn')}</th>
              <th scope="col">{t('audit.log.entity')}</th>
              <th scope="col">{t('audit.log.person')}</th>
              <th scope="col">{t('audit.log.role')}</th>
              <th scope="col">{t('audit.log.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <Row key={event.position} event={event} />
            ))}
          </tbody>
        </table>
      </section>
      {log.loading && <p class="loading">{t('common.loading')}</p>}
      {log.more && !log.loading && (
        <button type="button" class="secondary" onClick={log.showMore}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
