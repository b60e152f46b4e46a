import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { formatTime, t } from '../../i18n';
import { formatCountdown, isoToLocal, localToIso, useNow } from '../edition/time';
import { type ProposalView, versionTag } from './model';

/**
 * Whether the consultation has closed: the server's ConsultationClosed, or the deadline passed by the
 * browser's clock (the server refuses stances from that moment, before its event arrives).
 */
export function useConsultationClosed(view: ProposalView | undefined): boolean {
  const closesAt = view?.closesAt ? Date.parse(view.closesAt) : null;
  const closedAt = view?.consultationClosedAt ?? null;
  const now = useNow(view?.status === 'open' && closesAt !== null && closedAt === null);
  return closedAt !== null || (closesAt !== null && closesAt <= now);
}

/** The end of the consultation, for the proposal's facts: a countdown while it runs, "closed" after. */
export function ConsultationFact({ view, closed }: { view: ProposalView; closed: boolean }) {
  const ticking = view.status === 'open' && view.closesAt !== null && !closed;
  const now = useNow(ticking);
  if (view.closesAt === null) return <dd>{t('proposal.deadline.none')}</dd>;
  if (closed)
    return (
      <dd>
        <span class="status status-closed">{t('proposal.deadline.closed')}</span>{' '}
        {t('proposal.deadline.closedAt', { time: formatTime(view.consultationClosedAt ?? view.closesAt) })}
      </dd>
    );
  return (
    <dd>
      {t('proposal.deadline.closesAt', { time: formatTime(view.closesAt) })}
      {ticking && (
        <>
          {' · '}
          <span role="timer" aria-label={t('proposal.deadline.timer')}>
            {t('proposal.deadline.left', { left: formatCountdown(Date.parse(view.closesAt) - now) })}
          </span>
        </>
      )}
    </dd>
  );
}

/** A chair's move or removal of the consultation's end, with a reason, while the proposal is open. */
export function ChangeDeadline({ view, refresh }: { view: ProposalView; refresh: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [closesAt, setClosesAt] = useState(view.closesAt ? isoToLocal(view.closesAt) : '');
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action
      .run(async () => {
        await call(
          api.POST('/proposals/{id}/closes-at', {
            params: { path: { id: view.id }, header: { 'if-match': versionTag(view.version) } },
            body: { closesAt: closesAt.trim() === '' ? null : (localToIso(closesAt) ?? closesAt), reason },
          }),
        );
      })
      .then((ok) => {
        if (ok) {
          setReason('');
          setOpen(false);
        }
        void refresh().catch(() => undefined);
      });
  };
  return (
    <section aria-label={t('proposal.deadline.region')} class="change-deadline">
      <h2>{t('proposal.deadline.heading')}</h2>
      {!open ? (
        <button type="button" class="secondary" onClick={() => setOpen(true)}>
          {t('proposal.deadline.open')}
        </button>
      ) : (
        <form noValidate onSubmit={submit}>
          <ProblemNotice error={action.error} />
          <Field
            label={t('proposal.deadline.closesAtField')}
            path="body.closesAt"
            error={action.error}
            hint={t('proposal.deadline.closesAtHint')}
          >
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                value={closesAt}
                // biome-ignore lint/a11y/noAutofocus: the form opens at the user's request, so the focus goes to its first field.
                autoFocus
                onInput={(event) => setClosesAt(event.currentTarget.value)}
              />
            )}
          </Field>
          <Field label={t('proposal.deadline.reason')} path="body.reason" error={action.error}>
            {(props) => (
              <textarea
                {...props}
                rows={2}
                required
                value={reason}
                onInput={(event) => setReason(event.currentTarget.value)}
              />
            )}
          </Field>
          <p class="actions">
            <button type="submit" disabled={action.busy}>
              {t('proposal.deadline.submit')}
            </button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
