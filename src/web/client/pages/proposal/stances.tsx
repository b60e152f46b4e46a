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

interface TextFormProps {
  value: string;
  setValue: (value: string) => void;
  busy: boolean;
  error: unknown;
  onSubmit: () => void;
}

function EndorseForm({ value, setValue, busy, error, onSubmit }: TextFormProps) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Field label={t('proposal.stance.note')} path="body.note" error={error} hint={t('proposal.stance.noteHint')}>
        {(props) => <textarea {...props} value={value} onInput={(event) => setValue(event.currentTarget.value)} />}
      </Field>
      <button type="submit" disabled={busy}>
        {t('proposal.stance.endorse')}
      </button>
    </form>
  );
}

function ObjectForm({ value, setValue, busy, error, onSubmit }: TextFormProps) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Field label={t('proposal.stance.reason')} path="body.reason" error={error}>
        {(props) => (
          <textarea {...props} value={value} required onInput={(event) => setValue(event.currentTarget.value)} />
        )}
      </Field>
      <button type="submit" class="danger" disabled={busy}>
        {t('proposal.stance.object')}
      </button>
    </form>
  );
}

/** A member's Endorse / Object (and their withdrawals), for a member delegate who is not the author entity. */
export function StanceActions({ view, entityId, changed }: StanceActionsProps) {
  // The texts outlive their forms: hidden while a stance stands, they come back as they were.
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const { busy, error } = action;
  const heading = useRef<HTMLHeadingElement>(null);
  const path = { params: { path: { id: view.id } } };
  const run = (request: () => Promise<unknown>, clear: () => void = () => undefined) =>
    void action.run(async () => {
      await request();
      clear();
      changed();
      // The form or button used is replaced by its opposite: focus stays in the section.
      heading.current?.focus();
    });
  const endorses = view.endorsements.some((endorsement) => endorsement.entityId === entityId);
  const objects = view.objections.some((objection) => objection.entityId === entityId);
  const endorse = () => {
    const body = note.trim() ? { note } : {};
    run(
      () => call(api.POST('/proposals/{id}/endorsements', { ...path, body })),
      () => setNote(''),
    );
  };
  const object = () =>
    run(
      () => call(api.POST('/proposals/{id}/objections', { ...path, body: { reason } })),
      () => setReason(''),
    );
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
          onClick={() => run(() => call(api.DELETE('/proposals/{id}/endorsements', path)))}
        >
          {t('proposal.stance.withdrawEndorsement')}
        </button>
      )}
      {objects && (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => run(() => call(api.DELETE('/proposals/{id}/objections', path)))}
        >
          {t('proposal.stance.withdrawObjection')}
        </button>
      )}
      {!endorses && !objects && (
        <div class="stance-forms">
          <EndorseForm value={note} setValue={setNote} busy={busy} error={error} onSubmit={endorse} />
          <ObjectForm value={reason} setValue={setReason} busy={busy} error={error} onSubmit={object} />
        </div>
      )}
    </section>
  );
}
