import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatTime, type MessageKey, t } from '../../i18n';
import { messageParts } from '../format';
import { TextDiff } from './diff';
import { type HistoryEntry, type ProposalView, type Revision, revisionsOf } from './model';

const EVENT_KEYS: Record<string, MessageKey> = {
  ProposalSubmitted: 'proposal.event.ProposalSubmitted',
  ProposalRevised: 'proposal.event.ProposalRevised',
  CommentPosted: 'proposal.event.CommentPosted',
  ProposalEndorsed: 'proposal.event.ProposalEndorsed',
  EndorsementWithdrawn: 'proposal.event.EndorsementWithdrawn',
  ObjectionRaised: 'proposal.event.ObjectionRaised',
  ObjectionWithdrawn: 'proposal.event.ObjectionWithdrawn',
  ProposalWithdrawn: 'proposal.event.ProposalWithdrawn',
  ProposalDecided: 'proposal.event.ProposalDecided',
  ConsultationRescheduled: 'proposal.event.ConsultationRescheduled',
  ConsultationClosed: 'proposal.event.ConsultationClosed',
};

/** An entry in words; the person's name, written by people, is isolated from the sentence around it. */
function describe(entry: HistoryEntry): ComponentChildren {
  const key = EVENT_KEYS[entry.type];
  const what = key
    ? t(key, { revision: typeof entry.data.revision === 'number' ? entry.data.revision : '' })
    : entry.type;
  const who = (
    <>
      <bdi>{entry.actor.person}</bdi>
      {entry.actor.entityId ? `, ${entityName(entry.actor.entityId)}` : ''}
    </>
  );
  return messageParts('proposal.history.entry', { who, what });
}

export interface HistoryProps {
  view: ProposalView;
  entries: HistoryEntry[];
  more: boolean;
  error: unknown;
  loadMore: () => void;
}

/** The proposal's events, oldest first, paged; and a diff between any two of its revisions. */
export function History({ view, entries, more, error, loadMore }: HistoryProps) {
  const revisions = revisionsOf(entries);
  if (!revisions.some((revision) => revision.revision === view.revision)) {
    revisions.push({
      revision: view.revision,
      version: view.version,
      title: view.title,
      body: view.body,
      at: view.updatedAt,
    });
  }
  return (
    <section aria-label={t('proposal.history.region')} class="proposal-history">
      <h2>{t('proposal.history.heading')}</h2>
      <ProblemNotice error={error} />
      <ol class="history">
        {entries.map((entry) => (
          <li key={entry.version}>
            <time dateTime={entry.recordedAt}>{formatTime(entry.recordedAt)}</time> {describe(entry)}
          </li>
        ))}
      </ol>
      {more && (
        <button type="button" class="secondary" onClick={loadMore}>
          {t('proposal.history.more')}
        </button>
      )}
      <RevisionDiff revisions={revisions} partial={more} />
    </section>
  );
}

function RevisionDiff({ revisions, partial }: { revisions: Revision[]; partial: boolean }) {
  const last = revisions.at(-1)?.revision ?? 1;
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const chosenTo = to ?? last;
  const chosenFrom = from ?? Math.max(1, chosenTo - 1);
  const a = revisions.find((revision) => revision.revision === chosenFrom);
  const b = revisions.find((revision) => revision.revision === chosenTo);
  const options = revisions.map((revision) => (
    <option key={revision.revision} value={revision.revision}>
      {t('proposal.revision.option', { revision: revision.revision, time: formatTime(revision.at) })}
    </option>
  ));
  return (
    <section aria-label={t('proposal.diff.region')} class="revision-diff">
      <h3>{t('proposal.diff.heading')}</h3>
      {revisions.length < 2 ? (
        <p class="muted">{t('proposal.diff.single')}</p>
      ) : (
        <>
          <div class="diff-choice">
            <Field label={t('proposal.diff.from')}>
              {(props) => (
                <select {...props} value={chosenFrom} onChange={(event) => setFrom(Number(event.currentTarget.value))}>
                  {options}
                </select>
              )}
            </Field>
            <Field label={t('proposal.diff.to')}>
              {(props) => (
                <select {...props} value={chosenTo} onChange={(event) => setTo(Number(event.currentTarget.value))}>
                  {options}
                </select>
              )}
            </Field>
          </div>
          <div aria-live="polite">{a && b && <TextDiff from={a} to={b} />}</div>
        </>
      )}
      {partial && <p class="hint">{t('proposal.diff.partial')}</p>}
    </section>
  );
}
