import type { Ref } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { api, ApiError, call } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { t } from '../../i18n';
import { TextDiff } from './diff';
import { type ProposalView, versionTag } from './model';

interface Base {
  version: number;
  title: string;
  body: string;
}

interface AuthorProps {
  view: ProposalView;
  /** Reads the proposal again and returns its current view (after a write, or when a revision was stale). */
  refresh: () => Promise<ProposalView | undefined>;
}

/** The author's Revise and Withdraw proposal. */
export function AuthorActions(props: AuthorProps) {
  return (
    <section aria-label={t('proposal.author.region')} class="author-actions">
      <h2>{t('proposal.author.heading')}</h2>
      <div class="actions">
        <ReviseForm {...props} />
        {props.view.status === 'open' && <WithdrawForm {...props} />}
      </div>
    </section>
  );
}

interface ChangedProps {
  base: Base;
  current: ProposalView;
  onRebase: (to: ProposalView) => void;
  /** The notice takes the focus when it appears. */
  focus: Ref<HTMLFieldSetElement>;
}

/** What changed since the version the author started from, and the way to revise the current one instead. */
function ChangedMeanwhile({ base, current, onRebase, focus }: ChangedProps) {
  const noticeId = useId();
  return (
    <fieldset class="conflict" aria-labelledby={noticeId} tabIndex={-1} ref={focus}>
      <p id={noticeId} role="alert">
        {t('proposal.revise.changedMeanwhile', { from: base.version, to: current.version })}
      </p>
      <TextDiff from={base} to={current} />
      <p class="hint">{t('proposal.revise.rebaseHint')}</p>
      <button type="button" onClick={() => onRebase(current)}>
        {t('proposal.revise.rebase')}
      </button>
    </fieldset>
  );
}

/**
 * Revise sends If-Match with the version the author started from. When someone changed the proposal
 * meanwhile (412), the form shows what changed since then and keeps the author's text; rebasing moves the
 * base to the current version, and the next submit is checked against that one.
 */
function ReviseForm({ view, refresh }: AuthorProps) {
  const [base, setBase] = useState<Base | null>(null);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [current, setCurrent] = useState<ProposalView | null>(null);
  const [busy, setBusy] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const notice = useRef<HTMLFieldSetElement>(null);
  const open = () => {
    setBase({ version: view.version, title: view.title, body: view.body });
    setTitle(view.title);
    setBody(view.body);
    setError(null);
    setCurrent(null);
  };
  const close = () => {
    setBase(null);
    requestAnimationFrame(() => opener.current?.focus());
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!base) return;
    setBusy(true);
    setError(null);
    try {
      await call(
        api.POST('/proposals/{id}/revisions', {
          params: { path: { id: view.id }, header: { 'if-match': versionTag(base.version) } },
          body: { title, body },
        }),
      );
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 412) {
        setCurrent((await refresh().catch(() => undefined)) ?? view);
        requestAnimationFrame(() => notice.current?.focus());
      } else setError(failure);
      return;
    } finally {
      setBusy(false);
    }
    close();
    // The revision is stored: a failed read-back is not a failed revision (the live update brings the view).
    await refresh().catch(() => undefined);
  };
  const rebase = (to: ProposalView) => {
    setBase({ version: to.version, title: to.title, body: to.body });
    setCurrent(null);
  };
  if (!base) {
    // A form being edited stays when the proposal closes meanwhile (its text is not lost); a new one does not open.
    if (view.status !== 'open') return null;
    return (
      <button type="button" ref={opener} onClick={open}>
        {t('proposal.revise.open')}
      </button>
    );
  }
  return (
    <form class="revise-form" noValidate onSubmit={submit}>
      <h3>{t('proposal.revise.heading', { version: base.version })}</h3>
      {current && <ChangedMeanwhile base={base} current={current} onRebase={rebase} focus={notice} />}
      <ProblemNotice error={error} />
      <Field label={t('proposal.field.title')} path="body.title" error={error}>
        {(props) => (
          <input
            {...props}
            value={title}
            required
            // biome-ignore lint/a11y/noAutofocus: the form opens at the user's request, so the focus goes to its first field.
            autoFocus
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field label={t('proposal.field.body')} path="body.body" error={error}>
        {(props) => (
          <textarea
            {...props}
            value={body}
            required
            rows={10}
            onInput={(event) => setBody(event.currentTarget.value)}
          />
        )}
      </Field>
      <p class="actions">
        <button type="submit" disabled={busy || current !== null}>
          {t('proposal.revise.submit')}
        </button>
        <button type="button" class="secondary" onClick={close}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}

function WithdrawForm({ view, refresh }: AuthorProps) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = reason.trim() ? { reason } : {};
      await call(api.POST('/proposals/{id}/withdrawal', { params: { path: { id: view.id } }, body }));
    } catch (failure) {
      setError(failure);
      return;
    } finally {
      setBusy(false);
    }
    await refresh().catch(() => undefined);
  };
  if (!confirming) {
    return (
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        {t('proposal.withdraw.open')}
      </button>
    );
  }
  return (
    <form class="withdraw-form" noValidate onSubmit={submit}>
      <h3>{t('proposal.withdraw.heading')}</h3>
      <ProblemNotice error={error} />
      <Field
        label={t('proposal.withdraw.reason')}
        path="body.reason"
        error={error}
        hint={t('proposal.withdraw.reasonHint')}
      >
        {(props) => (
          <textarea
            {...props}
            value={reason}
            // biome-ignore lint/a11y/noAutofocus: the confirmation opens at the user's request, so the focus goes to its field.
            autoFocus
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        )}
      </Field>
      <p class="actions">
        <button type="submit" class="danger" disabled={busy}>
          {t('proposal.withdraw.confirm')}
        </button>
        <button type="button" class="secondary" onClick={() => setConfirming(false)}>
          {t('common.cancel')}
        </button>
      </p>
    </form>
  );
}
