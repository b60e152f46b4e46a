import { diffArrays, diffWords } from 'diff';
import type { DeclarationDiff } from './views';

type Entry = DeclarationDiff['paragraphs'][number];

/**
 * The paragraphs of two revisions aligned: unchanged, removed or added, and a removed paragraph followed
 * by an added one in the same place paired as changed, with their word-by-word difference.
 */
export function paragraphDiff(before: readonly string[], after: readonly string[]): Entry[] {
  const entries: Entry[] = [];
  let from = 0;
  let to = 0;
  let removed: string[] = [];
  const flushRemoved = () => {
    for (const text of removed)
      entries.push({ status: 'removed', from: ++from, to: null, changes: [part(text, 'removed')] });
    removed = [];
  };
  for (const chunk of diffArrays([...before], [...after])) {
    if (chunk.removed) {
      removed = [...chunk.value];
      continue;
    }
    if (chunk.added) {
      for (const text of chunk.value) {
        const old = removed.shift();
        entries.push(
          old === undefined
            ? { status: 'added', from: null, to: ++to, changes: [part(text, 'added')] }
            : { status: 'changed', from: ++from, to: ++to, changes: words(old, text) },
        );
      }
      flushRemoved();
      continue;
    }
    flushRemoved();
    for (const text of chunk.value)
      entries.push({ status: 'unchanged', from: ++from, to: ++to, changes: [part(text)] });
  }
  flushRemoved();
  return entries;
}

function part(value: string, kind?: 'added' | 'removed') {
  return { value, added: kind === 'added', removed: kind === 'removed' };
}

function words(before: string, after: string) {
  return diffWords(before, after).map((change) => ({
    value: change.value,
    added: change.added,
    removed: change.removed,
  }));
}
