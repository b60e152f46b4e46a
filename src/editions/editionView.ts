import type { Visible } from '../dialogue/visibility';
import type { EditionRecord } from './queries';
import type { EditionView } from './views';

/**
 * The edition as one reader sees it: the agenda holds only the proposals `sees` allows (the one visibility
 * rule), and the quorum counts the member entities present out of `membersTotal`.
 */
export function editionView(
  record: EditionRecord,
  membersTotal: number,
  sees: (item: Visible) => boolean,
): EditionView {
  const { agendaChangedAt, ...edition } = record;
  return {
    ...edition,
    agenda: edition.agenda
      .filter((item) => sees(item))
      .map(({ proposalId, groupId, visibility, title, status }) => ({
        proposalId,
        groupId,
        visibility,
        title,
        status,
      })),
    quorum: {
      membersPresent: edition.attendance.filter((entry) => entry.entityKind === 'member').length,
      membersTotal,
    },
  };
}
