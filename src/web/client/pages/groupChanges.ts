import { useEffect, useRef } from 'preact/hooks';
import type { Schemas } from '../api';
import { live, type LiveEvent } from '../live';

/** The events that change who chairs a group or takes part in it (src/dialogue/events.ts). */
const GROUP_CHANGES: ReadonlySet<Schemas['StoredEvent']['type']> = new Set([
  'ParticipantAdded',
  'ParticipantRemoved',
  'ChairAppointed',
  'ChairRemoved',
]);

/** Several changes in a row (a catch-up after a reconnection, a secretariat's session) read the groups once. */
const GROUP_CHANGE_DEBOUNCE_MS = 250;

export function isGroupChange(frame: LiveEvent): boolean {
  return GROUP_CHANGES.has(frame.event.type);
}

/**
 * Calls `reload` (once per burst) when a chair or participant of one of `groupIds` changes on the group's
 * live topic; other events of the topic are left to the page's own handlers.
 */
export function useGroupChanges(groupIds: readonly string[], reload: () => void): void {
  const latest = useRef(reload);
  latest.current = reload;
  const key = groupIds.join(',');
  useEffect(() => {
    if (!key) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const event = (frame: LiveEvent) => {
      if (!isGroupChange(frame)) return;
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), GROUP_CHANGE_DEBOUNCE_MS);
    };
    const stops = key.split(',').map((id) => live.subscribe(`group:${id}`, { event }));
    return () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
    };
  }, [key]);
}
