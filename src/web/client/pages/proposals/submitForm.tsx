import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, ApiError, call, describeError, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import { pillarName, VISIBILITIES, type Visibility } from './filters';
import { SimilarProposals } from './similar';
import { useSimilarWhileTyping } from './useSimilarWhileTyping';

export type Submitted = { id: string; title: string; similar: Schemas['SimilarProposal'][] };

interface Props {
  groupId: string;
  pillars: string[];
  onSubmitted: (submitted: Submitted) => void;
  onCancel: () => void;
  groupName: (id: string) => string;
}

/** The first validation error under `pillars` (the list, or one of its items); paths name the request's part first. */
function pillarsError(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  for (const [path, message] of error.fieldErrors())
    if (path === 'body.pillars' || path.startsWith('body.pillars.')) return message;
  return undefined;
}

/**
 * A member's new proposal. A refusal leaves every field as typed, with each validation error next to its
 * field; a retry of the same text reuses its Idempotency-Key, so a lost answer never submits it twice.
 */
export function SubmitForm({ groupId, pillars, onSubmitted, onCancel, groupName }: Props) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [visibility, setVisibility] = useState<Visibility>('dialogue');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());
  const form = useRef<HTMLFormElement>(null);
  const pillarsId = useId();
  const pillarsProblem = pillarsError(error);
  const similar = useSimilarWhileTyping(groupId, title, body, visibility);

  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input[name="title"]')?.focus();
  }, []);
  useEffect(() => {
    if (!error) return;
    (
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form.current?.querySelector<HTMLElement>('.problem-slot')
    )?.focus();
  }, [error]);

  const changed = () => {
    idempotencyKey.current = crypto.randomUUID();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call(
        api.POST('/groups/{groupId}/proposals', {
          params: { path: { groupId }, header: { 'idempotency-key': idempotencyKey.current } },
          body: { title, body, pillars: chosen, visibility },
        }),
      );
      onSubmitted({ id: result.id, title: title.trim(), similar: result.similar });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} class="submit-form card" aria-label={t('proposals.form.heading')} onSubmit={submit} noValidate>
      <h2>{t('proposals.form.heading')}</h2>
      <div tabIndex={-1} class="problem-slot">
        <ProblemNotice error={error} />
      </div>
      <Field label={t('proposals.form.title')} path="body.title" error={error}>
        {(props) => (
          <input
            {...props}
            name="title"
            value={title}
            autoComplete="off"
            aria-required="true"
            onInput={(input) => {
              setTitle(input.currentTarget.value);
              changed();
            }}
          />
        )}
      </Field>
      <Field label={t('proposals.form.body')} path="body.body" error={error}>
        {(props) => (
          <textarea
            {...props}
            name="body"
            rows={8}
            value={body}
            aria-required="true"
            onInput={(input) => {
              setBody(input.currentTarget.value);
              changed();
            }}
          />
        )}
      </Field>
      <div class="similar-typing" aria-live="polite">
        <SimilarProposals items={similar.items} groupName={groupName} heading={t('proposals.similar.typing')} />
        {similar.tooLong && <p class="hint">{t('proposals.similar.tooLong')}</p>}
        {similar.error !== null && (
          <p class="hint">{t('proposals.similar.failed', { reason: describeError(similar.error) })}</p>
        )}
      </div>
      <fieldset
        class="field pillars"
        aria-labelledby={`${pillarsId}-legend`}
        aria-describedby={pillarsProblem ? `${pillarsId}-error` : undefined}
      >
        <legend id={`${pillarsId}-legend`}>{t('proposals.form.pillars')}</legend>
        {pillars.map((pillar) => (
          <label key={pillar} class="check">
            <input
              type="checkbox"
              name="pillars"
              value={pillar}
              checked={chosen.includes(pillar)}
              aria-invalid={pillarsProblem ? true : undefined}
              onChange={(input) => {
                const on = input.currentTarget.checked;
                setChosen((list) => (on ? [...list, pillar] : list.filter((item) => item !== pillar)));
                changed();
              }}
            />
            {pillarName(pillar)}
          </label>
        ))}
        {pillarsProblem && (
          <p class="field-error" id={`${pillarsId}-error`}>
            {pillarsProblem}
          </p>
        )}
      </fieldset>
      <Field
        label={t('proposals.form.visibility')}
        path="body.visibility"
        error={error}
        hint={t('proposals.form.visibilityHint')}
      >
        {(props) => (
          <select
            {...props}
            name="visibility"
            value={visibility}
            onChange={(input) => {
              setVisibility(VISIBILITIES.find((value) => value === input.currentTarget.value) ?? 'dialogue');
              changed();
            }}
          >
            {VISIBILITIES.map((value) => (
              <option key={value} value={value}>
                {t(`proposals.form.visibility.${value}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p class="actions">
        <button type="submit" disabled={busy} aria-busy={busy}>
          {t('proposals.submit')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}
