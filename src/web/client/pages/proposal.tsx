import { useCallback } from 'preact/hooks';
import { api, ApiError, call } from '../api';
import { Link } from '../components/link';
import { useLoad } from '../components/load';
import { ProblemNotice } from '../components/problem';
import { entityName } from '../entities';
import { formatTime, t, tn } from '../i18n';
import { isMember, session } from '../session';
import { formatList } from './format';
import { pillarName } from './proposals/filters';
import { useGroupChanges } from './groupChanges';
import { Comments } from './proposal/comments';
import { DecideForm } from './proposal/decide';
import { History } from './proposal/history';
import { useProposalFeed } from './proposal/live';
import { newer, type ProposalView } from './proposal/model';
import { ChangeDeadline, ConsultationFact, useConsultationClosed } from './proposal/deadline';
import { AuthorActions } from './proposal/revise';
import { StanceActions, Stances } from './proposal/stances';

/** A proposal: its text, stances, decision, action items, comments and history, live; and what this user may do to it. */
export function ProposalPage({ id }: { id: string }) {
  const proposal = useLoad(() => call(api.GET('/proposals/{id}', { params: { path: { id } } })), [id]);
  const groups = useLoad(() => call(api.GET('/groups')), []);
  const { set } = proposal;
  const applyView = useCallback((view: ProposalView) => set((current) => newer(current, view)), [set]);
  const feed = useProposalFeed(id, applyView);
  const refresh = useCallback(async () => {
    const view = await call(api.GET('/proposals/{id}', { params: { path: { id } } }));
    applyView(view);
    return view;
  }, [id, applyView]);

  const view = proposal.data;
  const groupId = view?.groupId;
  // Who chairs the group decides who sees Decide: chair changes read the groups again.
  useGroupChanges(groupId === undefined ? [] : [groupId], groups.reload);
  const closed = useConsultationClosed(view);
  if (!view) {
    if (proposal.error instanceof ApiError && proposal.error.status === 404) return <NotFound />;
    return (
      <main id="content">
        <ProblemNotice error={proposal.error} />
        {proposal.loading ? (
          <p class="loading">{t('common.loading')}</p>
        ) : (
          <button type="button" onClick={proposal.reload}>
            {t('common.retry')}
          </button>
        )}
      </main>
    );
  }
  if (feed.refused) {
    return (
      <main id="content">
        <p class="problem" role="alert">
          {t('proposal.refused')}
        </p>
        <Link to={`/groups/${encodeURIComponent(view.groupId)}`}>{t('proposal.back')}</Link>
      </main>
    );
  }
  const me = session.me.value;
  const delegateEntity = me?.role === 'delegate' ? me.entityId : null;
  const isAuthor = delegateEntity !== null && delegateEntity === view.authorEntityId;
  const chairs = groups.data?.find((group) => group.id === view.groupId)?.chairs ?? [];
  const isChair = delegateEntity !== null && chairs.includes(delegateEntity);
  const open = view.status === 'open';
  return (
    <main id="content" class="proposal-page">
      <p>
        <Link to={`/groups/${encodeURIComponent(view.groupId)}`}>{t('proposal.back')}</Link>
      </p>
      {/* Without the groups, a chair would not see Decide: the failure is said, not hidden. */}
      <ProblemNotice error={groups.error} />
      <article class="proposal-text">
        <h1 dir="auto">{view.title}</h1>
        <Facts view={view} closed={closed} />
        <div class="proposal-body" dir="auto">
          {view.body}
        </div>
      </article>
      {view.decision && <Decision view={view} />}
      {isMember.value && delegateEntity !== null && !isAuthor && open && !closed && (
        <StanceActions view={view} entityId={delegateEntity} changed={() => void refresh().catch(() => undefined)} />
      )}
      {isMember.value && delegateEntity !== null && !isAuthor && open && closed && (
        <p class="muted">{t('proposal.deadline.noStances')}</p>
      )}
      {isAuthor && <AuthorActions view={view} refresh={refresh} />}
      {isChair && open && <DecideForm view={view} refresh={refresh} />}
      {isChair && open && <ChangeDeadline view={view} refresh={refresh} />}
      <Stances view={view} />
      <ActionItems view={view} />
      <Comments
        proposalId={view.id}
        comments={feed.comments.items}
        total={Math.max(view.commentCount, feed.comments.items.length)}
        more={feed.comments.next !== null}
        error={feed.comments.error}
        loadMore={feed.loadMoreComments}
        canComment={delegateEntity !== null}
        posted={feed.postedComment}
      />
      <History
        view={view}
        entries={feed.history.items}
        more={feed.history.next !== null}
        error={feed.history.error}
        loadMore={feed.loadMoreHistory}
      />
    </main>
  );
}

function NotFound() {
  return (
    <main id="content">
      <h1>{t('common.notFound')}</h1>
      <Link to="/">{t('nav.groups')}</Link>
    </main>
  );
}

function Facts({ view, closed }: { view: ProposalView; closed: boolean }) {
  return (
    <dl class="facts">
      <dt>{t('proposal.fact.status')}</dt>
      <dd>
        <span class={`status status-${view.status}`}>{t(`proposal.status.${view.status}`)}</span>
      </dd>
      <dt>{t('proposal.fact.author')}</dt>
      <dd>{entityName(view.authorEntityId)}</dd>
      <dt>{t('proposal.fact.pillars')}</dt>
      <dd>{formatList(view.pillars.map(pillarName)) || t('common.none')}</dd>
      <dt>{t('proposal.fact.visibility')}</dt>
      <dd>{t(`proposal.visibility.${view.visibility}`)}</dd>
      <dt>{t('proposal.fact.revision')}</dt>
      <dd>{t('proposal.fact.revisionValue', { revision: view.revision, time: formatTime(view.updatedAt) })}</dd>
      <dt>{t('proposal.fact.submitted')}</dt>
      <dd>{formatTime(view.createdAt)}</dd>
      <dt>{t('proposal.fact.consultation')}</dt>
      <ConsultationFact view={view} closed={closed} />
    </dl>
  );
}

function Decision({ view }: { view: ProposalView }) {
  const decision = view.decision;
  if (!decision) return null;
  return (
    <section aria-label={t('proposal.decision.region')} class="decision">
      <h2>{t(`proposal.decision.${decision.outcome}`)}</h2>
      <p>{t('proposal.decision.by', { chair: entityName(decision.chairEntityId), time: formatTime(decision.at) })}</p>
      <p dir="auto">{decision.note}</p>
      {decision.overriddenObjections.length > 0 && (
        <p>{t('proposal.decision.overridden', { names: formatList(decision.overriddenObjections.map(entityName)) })}</p>
      )}
    </section>
  );
}

function ActionItems({ view }: { view: ProposalView }) {
  const board = `/groups/${encodeURIComponent(view.groupId)}/action-items`;
  return (
    <section aria-label={t('proposal.actionItems.region')} class="proposal-action-items">
      <h2>{tn('proposal.actionItems.heading', view.actionItemCount)}</h2>
      {view.actionItems.length === 0 ? (
        <p class="muted">{t('proposal.actionItems.empty')}</p>
      ) : (
        <ul>
          {view.actionItems.map((item) => (
            <li key={item.id}>
              <Link to={board} dir="auto">
                {item.title}
              </Link>{' '}
              <span class="status">{t(`proposal.actionItems.status.${item.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
      {view.actionItemCount > view.actionItems.length && (
        <p>{tn('proposal.actionItems.more', view.actionItemCount - view.actionItems.length)}</p>
      )}
      <Link to={board}>{t('proposal.actionItems.board')}</Link>
    </section>
  );
}
