import { useRef, useState } from 'preact/hooks';
import { useAction } from '../../components/action';
import { api, call } from '../../api';
import { Field } from '../../components/field';
import { ProblemNotice } from '../../components/problem';
import { entityName } from '../../entities';
import { formatTime, t, tn } from '../../i18n';
import { session } from '../../session';
import type { Comment } from './model';

export interface CommentsProps {
  proposalId: string;
  comments: Comment[];
  total: number;
  more: boolean;
  error: unknown;
  loadMore: () => void;
  /** Whether this user may comment (a delegate acting for an entity, on an open proposal). */
  canComment: boolean;
  /** A comment this page posted, shown before its event arrives. */
  posted: (comment: Comment) => void;
}

/** The comments as threads: replies under the comment they answer. */
export function Comments(props: CommentsProps) {
  const { comments, total, more, error, loadMore, canComment } = props;
  const ids = new Set(comments.map((comment) => comment.id));
  const replies = new Map<string, Comment[]>();
  const roots: Comment[] = [];
  for (const comment of comments) {
    if (comment.replyTo === null || !ids.has(comment.replyTo)) roots.push(comment);
    else replies.set(comment.replyTo, [...(replies.get(comment.replyTo) ?? []), comment]);
  }
  const thread = (list: Comment[]) => (
    <ul class="thread">
      {list.map((comment) => (
        <li key={comment.id}>
          <CommentItem {...props} comment={comment} />
          {replies.has(comment.id) && thread(replies.get(comment.id) ?? [])}
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-label={t('proposal.comments.region')} class="comments">
      <h2>{tn('proposal.comments.heading', total)}</h2>
      <ProblemNotice error={error} />
      {comments.length === 0 ? <p class="muted">{t('proposal.comments.empty')}</p> : thread(roots)}
      {more && (
        <button type="button" class="secondary" onClick={loadMore}>
          {t('proposal.comments.more')}
        </button>
      )}
      {canComment && <CommentForm {...props} replyTo={null} />}
    </section>
  );
}

function CommentItem(props: CommentsProps & { comment: Comment }) {
  const { comment, canComment } = props;
  const [replying, setReplying] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setReplying(false);
    opener.current?.focus();
  };
  return (
    <article class="comment">
      <p class="comment-meta">
        <strong>{comment.entityId ? entityName(comment.entityId) : t('proposal.comments.unknownEntity')}</strong>{' '}
        <time dateTime={comment.at}>{formatTime(comment.at)}</time>
      </p>
      <p class="comment-body" dir="auto">
        {comment.body}
      </p>
      {canComment && (
        <button
          type="button"
          class="secondary"
          ref={opener}
          aria-expanded={replying}
          onClick={() => setReplying(!replying)}
        >
          {t('proposal.comments.reply')}
        </button>
      )}
      {replying && <CommentForm {...props} replyTo={comment} done={close} />}
    </article>
  );
}

function CommentForm({
  proposalId,
  posted,
  replyTo,
  done,
}: CommentsProps & { replyTo: Comment | null; done?: () => void }) {
  const [text, setText] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const result = await call(
        api.POST('/proposals/{id}/comments', {
          params: { path: { id: proposalId } },
          body: { body: text, replyTo: replyTo?.id ?? null },
        }),
      );
      posted({
        id: result.commentId,
        entityId: session.me.value?.entityId ?? null,
        body: text.trim(),
        replyTo: replyTo?.id ?? null,
        at: new Date().toISOString(),
      });
      setText('');
      done?.();
    });
  };
  const label = replyTo ? t('proposal.comments.replyField') : t('proposal.comments.field');
  return (
    <form class="comment-form" noValidate onSubmit={submit}>
      <ProblemNotice error={error} />
      <Field label={label} path="body.body" error={error}>
        {(props) => (
          <textarea
            {...props}
            value={text}
            required
            // biome-ignore lint/a11y/noAutofocus: a reply form opens at the user's request (Reply), so the focus goes to its field.
            autoFocus={replyTo !== null}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        )}
      </Field>
      <p class="actions">
        <button type="submit" disabled={busy}>
          {replyTo ? t('proposal.comments.postReply') : t('proposal.comments.post')}
        </button>
        {done && (
          <button type="button" class="secondary" onClick={done}>
            {t('common.cancel')}
          </button>
        )}
      </p>
    </form>
  );
}
