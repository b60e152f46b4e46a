import { useId, useRef, useState } from 'preact/hooks';
import { api, call } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { t } from '../../i18n';
import type { ProposalView } from './model';

type Outcome = 'adopted' | 'rejected';

interface DecideProps {
  view: ProposalView;
  refresh: () => Promise<ProposalView | undefined>;
}

/**
 * A chair's decision. Adopting over open objections first lists the objecting entities and asks for
 * confirmation; the confirmed decision is sent with override and the version the chair confirmed at, so
 * that an objection raised after the confirmation is refused (409) rather than silently overridden.
 */
export function DecideForm({ view, refresh }: DecideProps) {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>('adopted');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState<{ version: number; objectors: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const confirmId = useId();
  const send = async (override: { version: number } | null) => {
    setBusy(true);
    setError(null);
    try {
      const body = override ? { outcome, note, override: true, expectedVersion: override.version } : { outcome, note };
      await call(api.POST('/proposals/{id}/decision', { params: { path: { id: view.id } }, body }));
    } catch (failure) {
      setConfirming(null);
      setError(failure);
      void refresh().catch(() => undefined);
      return;
    } finally {
      setBusy(false);
    }
    setConfirming(null);
    setOpen(false);
    // The decision is stored: a failed read-back is not a failed decision (the live update brings the view).
    await refresh().catch(() => undefined);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (outcome === 'adopted' && view.objections.length > 0) {
      setConfirming({ version: view.version, objectors: view.objections.map((objection) => objection.entityId) });
      requestAnimationFrame(() => confirmHeading.current?.focus());
      return;
    }
    void send(null);
  };
  return (
    <section aria-label={t('proposal.decide.region')} class="decide">
      <h2>{t('proposal.decide.heading')}</h2>
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('proposal.decide.open')}
        </button>
      ) : (
        <form noValidate onSubmit={submit}>
          <ProblemNotice error={error} />
          <Field label={t('proposal.decide.outcome')} path="body.outcome" error={error}>
            {(props) => (
              <select
                {...props}
                value={outcome}
                // biome-ignore lint/a11y/noAutofocus: the form opens at the user's request, so the focus goes to its first field.
                autoFocus
                onChange={(event) => setOutcome(event.currentTarget.value === 'rejected' ? 'rejected' : 'adopted')}
              >
                <option value="adopted">{t('proposal.outcome.adopted')}</option>
                <option value="rejected">{t('proposal.outcome.rejected')}</option>
              </select>
            )}
          </Field>
          <Field label={t('proposal.decide.note')} path="body.note" error={error}>
            {(props) => (
              <textarea {...props} value={note} required onInput={(event) => setNote(event.currentTarget.value)} />
            )}
          </Field>
          {confirming ? (
            <fieldset class="confirm" aria-labelledby={confirmId}>
              <h3 id={confirmId} ref={confirmHeading} tabIndex={-1}>
                {t('proposal.decide.confirmHeading')}
              </h3>
              <p>{t('proposal.decide.confirmText')}</p>
              <ul aria-label={t('proposal.decide.objectors')}>
                {confirming.objectors.map((entityId) => (
                  <li key={entityId}>{entityName(entityId)}</li>
                ))}
              </ul>
              <p class="actions">
                <button type="button" class="danger" disabled={busy} onClick={() => void send(confirming)}>
                  {t('proposal.decide.confirm')}
                </button>
                <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                  {t('common.cancel')}
                </button>
              </p>
            </fieldset>
          ) : (
            <p class="actions">
              <button type="submit" disabled={busy}>
                {t('proposal.decide.submit')}
              </button>
              <button type="button" class="secondary" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </button>
            </p>
          )}
        </form>
      )}
    </section>
  );
}
