import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, call, type Schemas } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import type { Visibility } from './filters';
import { PillarChoice, SimilarSoFar, VisibilityField } from './submitFields';
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

type Draft = { title: string; body: string; pillars: string[]; visibility: Visibility };

/**
 * Sending a draft: busy while it travels, the refusal kept. The draft keeps one Idempotency-Key until it
 * changes, so a retry of the same text after a lost answer never submits it twice.
 */
function useSubmission(groupId: string, onSubmitted: (submitted: Submitted) => void) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());
  const changed = () => {
    idempotencyKey.current = crypto.randomUUID();
  };
  const send = async (draft: Draft) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call(
        api.POST('/groups/{groupId}/proposals', {
          params: { path: { groupId }, header: { 'idempotency-key': idempotencyKey.current } },
          body: draft,
        }),
      );
      onSubmitted({ id: result.id, title: draft.title.trim(), similar: result.similar });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, changed, send };
}

/** The title takes the focus as the form opens; after a refusal, the first invalid field (or the refusal) does. */
function useFormFocus(form: RefObject<HTMLFormElement>, error: unknown): void {
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
  const { error, busy, changed, send } = useSubmission(groupId, onSubmitted);
  const form = useRef<HTMLFormElement>(null);
  const similar = useSimilarWhileTyping(groupId, title, body, visibility);
  useFormFocus(form, error);
  const submit = (event: Event) => {
    event.preventDefault();
    void send({ title, body, pillars: chosen, visibility });
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
      <SimilarSoFar similar={similar} groupName={groupName} />
      <PillarChoice
        pillars={pillars}
        chosen={chosen}
        problem={pillarsError(error)}
        onToggle={(pillar, on) => {
          setChosen((list) => (on ? [...list, pillar] : list.filter((item) => item !== pillar)));
          changed();
        }}
      />
      <VisibilityField
        value={visibility}
        error={error}
        onChange={(value) => {
          setVisibility(value);
          changed();
        }}
      />
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
