import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import type { Loaded } from '../../components/load';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { catalogue, formatTime, type MessageKey, t } from '../../i18n';

type History = Schemas['DeclarationHistory'];
type Change = History['changes'][number];
type Diff = Schemas['DeclarationDiff'];

/** A change in words: its kind (the event's type, when the catalogue has no words for it) and its outcome. */
function describe(change: Change): string {
  const key = `declaration.change.${change.type}` as MessageKey;
  const kind = key in catalogue.value ? t(key) : change.type;
  const outcome = change.detail.outcome;
  return outcome === 'adopted' || outcome === 'broken'
    ? `${kind}: ${t(`declaration.change.outcome.${outcome}`)}`
    : kind;
}

/** Every change of the declaration with who made it, and a comparison of any two revisions of its text. */
export function DeclarationHistory({ id, loaded, current }: { id: string; loaded: Loaded<History>; current: number }) {
  const changes = loaded.data?.changes ?? [];
  return (
    <section aria-label={t('declaration.history.region')} class="declaration-history">
      <h2>{t('declaration.history.heading')}</h2>
      <ProblemNotice error={loaded.error} />
      <ol reversed class="history-list">
        {[...changes].reverse().map((change) => (
          <li key={change.version}>
            <strong>{describe(change)}</strong>{' '}
            <span class="muted">
              {t('declaration.history.meta', {
                who: change.actor.entityId ? entityName(change.actor.entityId) : change.actor.person,
                time: formatTime(change.at),
                revision: change.revision,
              })}
            </span>
          </li>
        ))}
      </ol>
      {current > 1 && <Compare key={current} id={id} current={current} />}
    </section>
  );
}

function Compare({ id, current }: { id: string; current: number }) {
  const [from, setFrom] = useState(String(current - 1));
  const [to, setTo] = useState(String(current));
  const [diff, setDiff] = useState<Diff | null>(null);
  const action = useAction();
  const revisions = Array.from({ length: current }, (_, index) => String(index + 1));
  const compare = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const query = { from: Number(from), to: Number(to) };
      setDiff(await call(api.GET('/editions/{id}/declaration/diff', { params: { path: { id }, query } })));
    });
  };
  const select = (value: string, set: (value: string) => void) => (props: { id: string }) => (
    <select {...props} value={value} onChange={(event) => set(event.currentTarget.value)}>
      {revisions.map((revision) => (
        <option key={revision} value={revision}>
          {revision}
        </option>
      ))}
    </select>
  );
  return (
    <form noValidate onSubmit={compare} class="compare">
      <h3>{t('declaration.diff.heading')}</h3>
      <ProblemNotice error={action.error} />
      <div class="field-row">
        <Field label={t('declaration.diff.from')} path="query.from" error={action.error}>
          {select(from, setFrom)}
        </Field>
        <Field label={t('declaration.diff.to')} path="query.to" error={action.error}>
          {select(to, setTo)}
        </Field>
      </div>
      <button type="submit" class="secondary" disabled={action.busy}>
        {t('declaration.diff.compare')}
      </button>
      {diff && <DiffView diff={diff} />}
    </form>
  );
}

function DiffView({ diff }: { diff: Diff }) {
  const shown = diff.paragraphs.filter((paragraph) => paragraph.status !== 'unchanged');
  return (
    <section class="declaration-diff" aria-label={t('declaration.diff.region')}>
      {shown.length === 0 && <p class="muted">{t('declaration.diff.same')}</p>}
      {shown.map((paragraph, index) => (
        <div key={index} class={`diff-paragraph diff-${paragraph.status}`}>
          <h4>
            {t(`declaration.diff.status.${paragraph.status}`, {
              from: paragraph.from ?? '',
              to: paragraph.to ?? '',
            })}
          </h4>
          <div class="word-diff" dir="auto">
            {paragraph.changes.map((part, at) =>
              part.added ? (
                <span key={at}>
                  <span class="visually-hidden">{t('proposal.diff.added')}</span>
                  <ins>{part.value}</ins>
                </span>
              ) : part.removed ? (
                <span key={at}>
                  <span class="visually-hidden">{t('proposal.diff.removed')}</span>
                  <del>{part.value}</del>
                </span>
              ) : (
                <span key={at}>{part.value}</span>
              ),
            )}
          </div>
        </div>
      ))}
    </section>
  );
}
