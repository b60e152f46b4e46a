import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatDate, type MessageKey, t, tn } from '../../i18n';
import { messageParts } from '../format';
import {
  type ActionItemView,
  type Change,
  type ChangedField,
  changesBetween,
  type ProposalView,
  readState,
} from './stateData';

const FIELD_KEYS: Record<ChangedField, MessageKey> = {
  status: 'audit.field.status',
  title: 'audit.field.title',
  revision: 'audit.field.revision',
  visibility: 'audit.field.visibility',
  endorsements: 'audit.field.endorsements',
  objections: 'audit.field.objections',
  comments: 'audit.field.comments',
  actionItems: 'audit.field.actionItems',
  owner: 'audit.field.owner',
  dueDate: 'audit.field.dueDate',
  percent: 'audit.field.percent',
};

function isChangedField(field: string): field is ChangedField {
  return field in FIELD_KEYS;
}

type Status = ProposalView['status'] | ActionItemView['status'];
const STATUSES: ReadonlySet<string> = new Set<Status>([
  'open',
  'adopted',
  'rejected',
  'withdrawn',
  'done',
  'cancelled',
]);
const isStatus = (value: string): value is Status => STATUSES.has(value);

/** A field's value in words: statuses from the catalogue, owners by name, dates in the reader's language, titles isolated. */
function value(field: string, text: string): ComponentChildren {
  if (field === 'status' && isStatus(text)) return t(`audit.status.${text}`);
  if (field === 'owner') return entityName(text);
  if (field === 'dueDate') return formatDate(text);
  if (field === 'title') return <bdi>{text}</bdi>;
  return text;
}

function describe(change: Change): ComponentChildren {
  const kind = t(change.item === 'proposal' ? 'audit.changes.proposal' : 'audit.changes.actionItem');
  const title = <bdi>{change.title}</bdi>;
  if (change.kind !== 'changed')
    return messageParts(change.kind === 'added' ? 'audit.changes.added' : 'audit.changes.removed', { kind, title });
  const fields = change.fields.flatMap(({ field, from, to }, index) => [
    index > 0 ? t('audit.changes.separator') : '',
    ...messageParts('audit.changes.field', {
      field: isChangedField(field) ? t(FIELD_KEYS[field]) : field,
      from: value(field, from),
      to: value(field, to),
    }),
  ]);
  return messageParts('audit.changes.changed', { kind, title, fields });
}

interface Result {
  from: number;
  to: number;
  changes: Change[];
}

/** What changed in a group between two positions of the log: the difference of its two replayed states. */
export function Changes({ group, head }: { group: string; head: number }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Both reads are refused on the same query path (`at`): the refusal is shown at the field whose read it was.
  const [failed, setFailed] = useState<'from' | 'to' | null>(null);
  const at = (field: 'from' | 'to') => (refused: unknown) => {
    setFailed(field);
    throw refused;
  };
  const compare = async () => {
    const [before, after] = await Promise.all([
      readState(group, from).catch(at('from')),
      readState(group, to === '' ? String(head) : to).catch(at('to')),
    ]);
    setResult({ from: before.position, to: after.position, changes: changesBetween(before, after) });
  };
  return (
    <section aria-label={t('audit.changes.region')}>
      <h3>{t('audit.changes.heading')}</h3>
      <form
        class="filters"
        noValidate
        onSubmit={(submitted) => {
          submitted.preventDefault();
          setBusy(true);
          setError(null);
          setFailed(null);
          compare().then(
            () => setBusy(false),
            (failure: unknown) => {
              setError(failure);
              setBusy(false);
            },
          );
        }}
      >
        <Field label={t('audit.changes.from')} path="querystring.at" error={failed === 'from' ? error : null}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              max={head}
              required
              value={from}
              onInput={(input) => setFrom(input.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          label={t('audit.changes.to')}
          hint={t('audit.changes.toHint')}
          path="querystring.at"
          error={failed === 'to' ? error : null}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              max={head}
              value={to}
              onInput={(input) => setTo(input.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {t('audit.changes.submit')}
        </button>
      </form>
      <ProblemNotice error={error} />
      {result && (
        <div role="status" aria-label={t('audit.changes.result')}>
          <p>{tn('audit.changes.count', result.changes.length, { from: result.from, to: result.to })}</p>
          <ul>
            {result.changes.map((change) => (
              <li key={`${change.item}-${change.id}`}>{describe(change)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
