import { useEffect, useRef, useState } from 'preact/hooks';
import { live } from '../../live';

/**
 * The edition's live topic. Its frames carry no view (`view: null`): each event asks the page to read the
 * edition or its declaration again. Returns whether the topic was refused.
 */
export function useEditionTopic(id: string, changed: () => void): boolean {
  const [refused, setRefused] = useState(false);
  const latest = useRef(changed);
  latest.current = changed;
  useEffect(
    () =>
      live.subscribe(`edition:${id}`, {
        event: () => latest.current(),
        refused: () => setRefused(true),
      }),
    [id],
  );
  return refused;
}
