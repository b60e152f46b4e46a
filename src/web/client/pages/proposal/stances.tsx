import { useRef, useState } from 'preact/hooks';
import { useAction } from '../../components/action';
import { api, call } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatTime, t, tn } from '../../i18n';
import type { ProposalView } from './model';

/** Endorsements and objections, by entity, with their notes and reasons. */
export function Stances({ view }: { view: ProposalView }) {
  return (
    <div class="stances">
      <section aria-label={t('proposal.endorsements.region')}>
        <h2>{tn('proposal.endorsements.heading', view.endorsements.length)}</h2>
        <ul>
          {view.endorsements.map((endorsement) => (
            <li key={endorsement.entityId}>
              <strong>{entityName(endorsement.entityId)}</strong>{' '}
              <span class="muted">
                {t('proposal.endorsements.meta', { revision: endorsement.revision, time: formatTime(endorsement.at) })}
              </span>
              {endorsement.note && <p dir="auto">{endorsement.note}</p>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label={t('proposal.objections.region')}>
        <h2>{tn('proposal.objections.heading', view.objections.length)}</h2>
        <ul>
          {view.objections.map((objection) => (
            <li key={objection.entityId}>
              <strong>{entityName(objection.entityId)}</strong>{' '}
              <time dateTime={objection.at}>{formatTime(objection.at)}</time>
              <p dir="auto">{objection.reason}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

interface StanceActionsProps {
  view: ProposalView;
  entityId: string;
  /** Called after a write succeeded, to read the proposal again. */
  changed: () => void;
}

/** A member's Endorse / Object (and their withdrawals), for a member delegate who is not the author entity. */
export function StanceActions({ view, entityId, changed }: StanceActionsProps) {
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const heading = useRef<HTMLHeadingElement>(null);
  const path = { params: { path: { id: view.id } } };
  const run = (request: () => Promise<unknown>, clear: () => void) =>
    action.run(async () => {
      await request();
      clear();
      changed();
      // The form or button used is replaced by its opposite: focus stays in the section.
      heading.current?.focus();
    });
  const endorses = view.endorsements.some((endorsement) => endorsement.entityId === entityId);
  const objects = view.objections.some((objection) => objection.entityId === entityId);
  return (
    <section aria-label={t('proposal.stance.region')} class="stance-actions">
      <h2 ref={heading} tabIndex={-1}>
        {t('proposal.stance.heading')}
      </h2>
      <ProblemNotice error={error} />
      {endorses && (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            run(
              () => call(api.DELETE('/proposals/{id}/endorsements', path)),
              () => undefined,
            )
          }
        >
          {t('proposal.stance.withdrawEndorsement')}
        </button>
      )}
      {objects && (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            run(
              () => call(api.DELETE('/proposals/{id}/objections', path)),
              () => undefined,
            )
          }
        >
          {t('proposal.stance.withdrawObjection')}
        </button>
      )}
      {!endorses && !objects && (
        <div class="stance-forms">
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const body = note.trim() ? { note } : {};
              void run(
                () => call(api.POST('/proposals/{id}/endorsements', { ...path, body })),
                () => setNote(''),
              );
            }}
          >
            <Field
              label={t('proposal.stance.note')}
              path="body.note"
              error={error}
              hint={t('proposal.stance.noteHint')}
            >
              {(props) => <textarea {...props} value={note} onInput={(event) => setNote(event.currentTarget.value)} />}
            </Field>
            <button type="submit" disabled={busy}>
              {t('proposal.stance.endorse')}
            </button>
          </form>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void run(
                () => call(api.POST('/proposals/{id}/objections', { ...path, body: { reason } })),
                () => setReason(''),
              );
            }}
          >
            <Field label={t('proposal.stance.reason')} path="body.reason" error={error}>
              {(props) => (
                <textarea
                  {...props}
                  value={reason}
                  required
                  onInput={(event) => setReason(event.currentTarget.value)}
                />
              )}
            </Field>
            <button type="submit" class="danger" disabled={busy}>
              {t('proposal.stance.object')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
