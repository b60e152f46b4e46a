/**
 * The shape of the demo's Dialogue: what each entity's delegate writes, in order (the proposals are in
 * strategic.ts and operational.ts). Texts are invented for the demo; due dates are days from today, so that
 * the dashboard shows overdue and due-soon items whenever it runs.
 */

export type GroupId = 'strategic' | 'operational';

export interface CommentScript {
  by: string;
  body: string;
  /** Index of the earlier comment of the same proposal it answers. */
  replyTo?: number;
}

export interface ActionItemScript {
  title: string;
  owner: string;
  /** Days from today (negative: in the past). */
  due: number;
  progress?: Array<[percent: number, note: string]>;
  moved?: { due: number; reason: string };
  completed?: string;
  /** A chair reopens the item after its completion. */
  reopened?: string;
  cancelled?: string;
}

export type Outcome =
  | { status: 'adopted' | 'rejected'; by: string; note: string; override?: boolean }
  | { status: 'withdrawn'; reason: string };

export interface ProposalScript {
  group: GroupId;
  author: string;
  title: string;
  body: string;
  pillars: string[];
  visibility?: 'members';
  /** Posted before the revision (if any), then the stances, then the rest. */
  comments?: CommentScript[];
  revision?: { afterComments: number; title?: string; body: string };
  endorsements?: Array<[entity: string, note?: string]>;
  objections?: Array<[entity: string, reason: string]>;
  /** Entities that take back their endorsement or objection before the outcome. */
  retracted?: string[];
  outcome?: Outcome;
  actionItems?: ActionItemScript[];
}

/** Chair entities of each group, appointed by the secretariat. */
export const CHAIRS: Record<GroupId, string[]> = { strategic: ['interpol', 'europol'], operational: ['afripol'] };

/** Action items not tied to a proposal: follow-ups of meetings. */
export const MEETING_ACTION_ITEMS: Array<{ group: GroupId } & ActionItemScript> = [
  {
    group: 'strategic',
    title: 'Circulate the minutes of the plenary meeting',
    owner: 'interpol',
    due: -1,
    completed: 'Minutes circulated.',
  },
  { group: 'strategic', title: 'Propose dates for the next plenary meeting', owner: 'europol', due: 7 },
  {
    group: 'operational',
    title: 'Update the list of 24/7 contact points',
    owner: 'afripol',
    due: -15,
    progress: [[70, 'Seven of nine members replied.']],
  },
  { group: 'operational', title: 'Prepare the agenda of the operational working group', owner: 'afripol', due: 5 },
];
