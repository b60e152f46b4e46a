import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useLoad } from '../components/load';
import { groupsOnce } from '../groups';
import { ProblemNotice } from '../components/problem';
import { Link } from '../components/link';
import { t } from '../i18n';
import { live, type LiveEvent } from '../live';
import { match, navigate, onNavigate, route } from '../router';
import { isMember } from '../session';
import { FilterBar } from './proposals/filterBar';
import {
  type Filters,
  filtersOf,
  pillarChoices,
  type ProposalSummary,
  type ProposalView,
  queryOf,
  summaryOf,
} from './proposals/filters';
import { ProposalTable } from './proposals/list';
import { PresenceList } from './proposals/presence';
import { SimilarProposals } from './proposals/similar';
import { StatusCountList } from './proposals/statusCounts';
import { SubmitForm, type Submitted } from './proposals/submitForm';
import { prefetchProposalList, useProposalList } from './proposals/useProposalList';
import { useStatusCounts } from './proposals/useStatusCounts';

onNavigate((path, query) => {
  const found = match('/groups/:groupId', path);
  if (found?.groupId) prefetchProposalList(found.groupId, filtersOf(query));
});

function proposalViewOf(frame: LiveEvent, groupId: string): ProposalView | null {
  const view = frame.view;
  return view !== null && 'endorsements' in view && view.groupId === groupId ? view : null;
}

/**
 * The group's topic: each event's view updates the rows (and the counts); who is here now; and whether the
 * topic was refused, with the server's words.
 */
function useGroupTopic(groupId: string, onRow: (row: ProposalSummary) => void) {
  const [presence, setPresence] = useState<string[] | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const topic = `group:${groupId}`;
  useEffect(() => {
    setRefused(null);
    return live.subscribe(topic, {
      event: (frame) => {
        const view = proposalViewOf(frame, groupId);
        if (view) onRow(summaryOf(view));
      },
      presence: setPresence,
      refused: (_code, message) => setRefused(message),
    });
  }, [topic]);
  // Presence is pushed when it changes; the set as it is now is asked for on each (re)connection.
  const connected = live.status.value === 'connected';
  useEffect(() => {
    if (connected) live.requestPresence(topic);
  }, [connected, topic]);
  return { presence, refused };
}

interface NewProposalProps {
  groupId: string;
  pillars: string[];
  groupName: (id: string) => string;
}

/** A member's Submit proposal: the button, the form it opens, and the notice of the proposal submitted. */
function NewProposal({ groupId, pillars, groupName }: NewProposalProps) {
  const [writing, setWriting] = useState(false);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (submitted) notice.current?.focus();
  }, [submitted]);
  return (
    <>
      {isMember.value && !writing && (
        <p>
          <button type="button" ref={opener} onClick={() => setWriting(true)}>
            {t('proposals.submit')}
          </button>
        </p>
      )}
      {writing && (
        <SubmitForm
          groupId={groupId}
          pillars={pillars}
          groupName={groupName}
          onCancel={() => {
            setWriting(false);
            requestAnimationFrame(() => opener.current?.focus());
          }}
          onSubmitted={(result) => {
            setWriting(false);
            setSubmitted(result);
          }}
        />
      )}
      {submitted && (
        <div class="notice" tabIndex={-1} ref={notice} role="status">
          <p>
            {t('proposals.submitted')}{' '}
            <Link to={`/proposals/${encodeURIComponent(submitted.id)}`} dir="auto">
              {submitted.title}
            </Link>
          </p>
          <SimilarProposals items={submitted.similar} groupName={groupName} heading={t('proposals.similar.heading')} />
        </div>
      )}
    </>
  );
}

/**
 * A group's proposals: the filtered, searchable list with counts per status, who is here now, and (for a
 * member's delegate) the submission form. Rows come only from the API and the group's topic, both of which
 * the server filters for this user, so a members-only proposal never reaches an observer's page.
 */
export function ProposalsPage({ groupId }: { groupId: string }) {
  const filters = filtersOf(route.value.query);
  const groups = useLoad(groupsOnce, []);
  const list = useProposalList(groupId, filters);
  const [listed, setListed] = useState(false);
  const counts = useStatusCounts(groupId, listed);
  const { apply } = list;
  const applyCount = counts.apply;
  const { presence, refused } = useGroupTopic(groupId, (row) => {
    apply(row);
    applyCount(row);
  });
  useEffect(() => {
    if (!list.loading) setListed(true);
  }, [list.loading]);

  const setFilters = useCallback(
    (next: Filters) => navigate(`/groups/${encodeURIComponent(groupId)}${queryOf(next)}`, { replace: true }),
    [groupId],
  );
  const group = groups.data?.find((candidate) => candidate.id === groupId);
  const groupName = (id: string) => groups.data?.find((candidate) => candidate.id === id)?.name ?? id;
  const pillars = pillarChoices(list.rows.flatMap((row) => row.pillars));
  const heading = (
    <>
      <p>
        <Link to="/">{t('nav.groups')}</Link>
      </p>
      <h1>{group ? t('proposals.heading', { group: group.name }) : t('proposals.headingPlain')}</h1>
    </>
  );
  // The group's topic was refused (this entity left the group): the rows already listed, members-only ones
  // included, are no longer this user's to see.
  if (refused !== null) {
    return (
      <main id="content">
        {heading}
        <p class="problem" role="alert">
          {t('proposals.refused', { message: refused })}
        </p>
      </main>
    );
  }

  return (
    <main id="content">
      {heading}
      <ProblemNotice error={groups.error} />
      <PresenceList entities={presence} />
      <div>
        <NewProposal groupId={groupId} pillars={pillars} groupName={groupName} />
        <section class="proposals" aria-label={t('proposals.region')}>
          <h2>{t('proposals.region')}</h2>
          <StatusCountList counts={counts.counts} />
          <ProblemNotice error={counts.error} />
          <FilterBar filters={filters} pillars={pillars} onChange={setFilters} />
          <ProblemNotice error={list.error} />
          {filters.q && <p class="hint">{t('proposals.searchLive')}</p>}
          {list.loading && list.rows.length === 0 ? (
            <p class="loading">{t('common.loading')}</p>
          ) : list.rows.length === 0 ? (
            <p>{t('proposals.empty')}</p>
          ) : (
            <ProposalTable rows={list.rows} ranked={filters.q !== undefined} />
          )}
          {list.nextCursor !== null && (
            <p>
              <button
                type="button"
                class="secondary"
                onClick={list.showMore}
                disabled={list.loadingMore}
                aria-busy={list.loadingMore}
              >
                {t('common.more')}
              </button>
            </p>
          )}
        </section>
      </div>
    </main>
  );
}
