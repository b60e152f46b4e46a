import { useState } from 'preact/hooks';
import { api, call } from '../../api';
import { useAction } from '../../components/action';
import { Field } from '../../components/field';
import { entityName } from '../../entities';
import { formatTime, t, tn } from '../../i18n';
import { isMember, session } from '../../session';
import { versionTag } from '../proposal/model';
import { isConflict, WriteProblem } from './conflict';
import type { Declaration, EditionView } from './model';
import { formatCountdown, isoToLocal, localToIso, useNow } from './time';

interface Props {
  declaration: Declaration;
  edition: EditionView;
  secretariat: boolean;
  changed: () => void;
}

const DEFAULT_SILENCE_MS = 48 * 3600_000;

/** The silence procedure: opened by the secretariat on a draft; while it runs, its countdown, breaks and "Break silence". */
export function Silence({ declaration, edition, secretariat, changed }: Props) {
  const silence = declaration.silence;
  if (declaration.status === 'draft' && secretariat && declaration.paragraphs.length > 0)
    return <OpenSilence declaration={declaration} changed={changed} />;
  if (declaration.status !== 'silence' || !silence) return null;
  return (
    <Running
      until={silence.until}
      breaks={silence.breaks}
      edition={edition}
      declaration={declaration}
      changed={changed}
    />
  );
}

function OpenSilence({ declaration, changed }: { declaration: Declaration; changed: () => void }) {
  const [until, setUntil] = useState(() => isoToLocal(new Date(Date.now() + DEFAULT_SILENCE_MS).toISOString()));
  const action = useAction();
  const open = (event: Event) => {
    event.preventDefault();
    let conflict = false;
    void action
      .run(async () => {
        try {
          await call(
            api.POST('/editions/{id}/declaration/silence', {
              params: { path: { id: declaration.editionId }, header: { 'if-match': versionTag(declaration.version) } },
              // An unreadable time is sent as typed: the service names the field in its refusal.
              body: { until: localToIso(until) ?? until },
            }),
          );
        } catch (error) {
          conflict = isConflict(error);
          throw error;
        }
      })
      .then((ok) => (ok || conflict) && changed());
  };
  return (
    <section aria-label={t('declaration.silence.openRegion')} class="open-silence">
      <h2>{t('declaration.silence.openHeading')}</h2>
      <form noValidate onSubmit={open}>
        <WriteProblem error={action.error} />
        <Field
          label={t('declaration.silence.until')}
          path="body.until"
          error={action.error}
          hint={t('declaration.silence.untilHint')}
        >
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              required
              value={until}
              onInput={(event) => setUntil(event.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={action.busy}>
          {t('declaration.silence.open')}
        </button>
      </form>
    </section>
  );
}

interface RunningProps {
  until: string;
  breaks: NonNullable<Declaration['silence']>['breaks'];
  edition: EditionView;
  declaration: Declaration;
  changed: () => void;
}

function Running({ until, breaks, edition, declaration, changed }: RunningProps) {
  const now = useNow(true);
  const left = Date.parse(until) - now;
  const me = session.me.value;
  const entityId = me?.entityId ?? null;
  const attended = edition.attendance.some((entry) => entry.entityId === entityId && entry.entityKind === 'member');
  const broke = breaks.some((entry) => entry.entityId === entityId);
  const mayBreak = isMember.value && entityId !== null && attended && !broke && left > 0;
  return (
    <section aria-label={t('declaration.silence.region')} class="silence">
      <h2>{t('declaration.silence.heading')}</h2>
      <p>{t('declaration.silence.untilValue', { time: formatTime(until) })}</p>
      <p class="countdown">
        <span>{t('declaration.silence.left')} </span>
        <span role="timer" aria-label={t('declaration.silence.timer')}>
          {left > 0 ? formatCountdown(left) : t('declaration.silence.ending')}
        </span>
      </p>
      <h3>{tn('declaration.silence.breaks', breaks.length)}</h3>
      {breaks.length === 0 ? (
        <p class="muted">{t('declaration.silence.noBreaks')}</p>
      ) : (
        <ul class="breaks">
          {breaks.map((entry) => (
            <li key={entry.entityId}>
              <strong>{entityName(entry.entityId)}</strong> <time dateTime={entry.at}>{formatTime(entry.at)}</time>
              <p dir="auto">{entry.reason}</p>
            </li>
          ))}
        </ul>
      )}
      {mayBreak && <BreakSilence editionId={declaration.editionId} changed={changed} />}
    </section>
  );
}

function BreakSilence({ editionId, changed }: { editionId: string; changed: () => void }) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action
      .run(async () => {
        await call(
          api.POST('/editions/{id}/declaration/silence/breaks', {
            params: { path: { id: editionId } },
            body: { reason },
          }),
        );
      })
      .then((ok) => {
        if (ok) setReason('');
        changed();
      });
  };
  return (
    <form noValidate onSubmit={submit} class="break-silence">
      <h3>{t('declaration.silence.breakHeading')}</h3>
      <p class="hint">{t('declaration.silence.breakHint')}</p>
      <WriteProblem error={action.error} />
      <Field label={t('declaration.silence.reason')} path="body.reason" error={action.error}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            required
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" class="danger" disabled={action.busy}>
        {t('declaration.silence.break')}
      </button>
    </form>
  );
}
