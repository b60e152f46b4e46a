import { diffWords } from 'diff';
import { t } from '../../i18n';

/**
 * A word diff of two texts: insertions as <ins>, deletions as <del>, each preceded by hidden words so that
 * screen readers (most of which do not announce ins/del) say what changed.
 */
export function WordDiff({ from, to }: { from: string; to: string }) {
  const parts = diffWords(from, to);
  return (
    <div class="word-diff" dir="auto">
      {parts.map((part, index) =>
        part.added ? (
          <span key={index}>
            <span class="visually-hidden">{t('proposal.diff.added')}</span>
            <ins>{part.value}</ins>
          </span>
        ) : part.removed ? (
          <span key={index}>
            <span class="visually-hidden">{t('proposal.diff.removed')}</span>
            <del>{part.value}</del>
          </span>
        ) : (
          <span key={index}>{part.value}</span>
        ),
      )}
    </div>
  );
}

/** What changed in a title and a body between two texts, or a line saying they are the same. */
export function TextDiff({ from, to }: { from: { title: string; body: string }; to: { title: string; body: string } }) {
  if (from.title === to.title && from.body === to.body) return <p class="muted">{t('proposal.diff.same')}</p>;
  return (
    <div class="text-diff">
      <h4>{t('proposal.diff.title')}</h4>
      <WordDiff from={from.title} to={to.title} />
      <h4>{t('proposal.diff.body')}</h4>
      <WordDiff from={from.body} to={to.body} />
    </div>
  );
}
