import { useEffect, useRef, useState } from 'preact/hooks';
import { Field } from '../../components/field';
import { t } from '../../i18n';
import { type Filters, pillarName, STATUSES } from './filters';

const SEARCH_DELAY = 300;

/** Status, pillar and search: each change replaces the filters (typing settles for a moment first). */
export function FilterBar({
  filters,
  pillars,
  onChange,
}: {
  filters: Filters;
  pillars: string[];
  onChange: (next: Filters) => void;
}) {
  const [text, setText] = useState(filters.q ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const latest = useRef(filters);
  latest.current = filters;
  useEffect(() => () => clearTimeout(timer.current), []);
  // The address may change the search (back, a link): the field follows it, but keeps what is being typed.
  useEffect(() => setText((typed) => (typed.trim() === (filters.q ?? '') ? typed : (filters.q ?? ''))), [filters.q]);

  const search = (value: string, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onChange({ ...latest.current, q: value.trim() || undefined }), delay);
  };
  return (
    <search aria-label={t('proposals.filters')}>
      <form
        class="proposal-filters"
        onSubmit={(event) => {
          event.preventDefault();
          search(text, 0);
        }}
      >
        <Field label={t('proposals.filter.status')}>
          {(props) => (
            <select
              {...props}
              value={filters.status ?? ''}
              onChange={(event) => {
                const status = STATUSES.find((value) => value === event.currentTarget.value);
                onChange({ ...filters, status });
              }}
            >
              <option value="">{t('proposals.filter.any')}</option>
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`proposals.status.${status}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('proposals.filter.pillar')}>
          {(props) => (
            <select
              {...props}
              value={filters.pillar ?? ''}
              onChange={(event) => onChange({ ...filters, pillar: event.currentTarget.value || undefined })}
            >
              <option value="">{t('proposals.filter.any')}</option>
              {pillars.map((pillar) => (
                <option key={pillar} value={pillar}>
                  {pillarName(pillar)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('proposals.search')} hint={t('proposals.searchHint')}>
          {(props) => (
            <input
              {...props}
              type="search"
              value={text}
              onInput={(event) => {
                setText(event.currentTarget.value);
                search(event.currentTarget.value, SEARCH_DELAY);
              }}
            />
          )}
        </Field>
      </form>
    </search>
  );
}
