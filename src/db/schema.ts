import type { Generated } from 'kysely';

/**
 * Every table of the database, as Kysely sees it: the log, the idempotency keys and each slice's views.
 * Column types are what better-sqlite3 returns (SQLite has no booleans or dates: integers and ISO text).
 * The search index's FTS5 tables are created per group at run time and are not listed here.
 */
export interface Database {
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  projection_positions: { name: string; position: number };
  entities: { id: string; name: string; kind: 'member' | 'observer' };
  groups: { id: string; name: string };
  group_participants: { group_id: string; entity_id: string };
  group_chairs: { group_id: string; entity_id: string };
  tokens: TokensTable;
  proposals: ProposalsTable;
  proposal_endorsements: ProposalEndorsementsTable;
  proposal_objections: ProposalObjectionsTable;
  search_tables: { group_id: string; visibility: Visibility; name: string };
  action_items: ActionItemsTable;
  action_item_history: ActionItemHistoryTable;
  editions: EditionsTable;
  edition_agenda: EditionAgendaTable;
  edition_attendance: EditionAttendanceTable;
  declaration_editions: { edition_id: string; number: number; title: string };
  declarations: DeclarationsTable;
  declaration_paragraphs: { edition_id: string; n: number; text: string; source_proposal_id: string | null };
  /** `paragraphs`: JSON text, the whole text at that revision. */
  declaration_revisions: { edition_id: string; revision: number; paragraphs: string; position: number; at: string };
  declaration_breaks: { edition_id: string; entity_id: string; reason: string; at: string; position: number };
  declaration_history: DeclarationHistoryTable;
}

type Visibility = 'dialogue' | 'members';

export interface EventsTable {
  position: number;
  id: string;
  stream_id: string;
  version: number;
  type: string;
  /** JSON text. */
  data: string;
  /** JSON text. */
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export interface IdempotencyKeysTable {
  key: string;
  fingerprint: string;
  status_code: number;
  /** JSON text. */
  body: string;
  position: number;
  recorded_at: string;
}

export interface TokensTable {
  token_id: string;
  hash: string;
  role: 'delegate' | 'secretariat' | 'auditor';
  entity_id: string | null;
  person: string;
  issued_at: string;
  revoked_at: string | null;
}

export interface ProposalsTable {
  id: string;
  group_id: string;
  seq: number;
  title: string;
  body: string;
  /** JSON array text. */
  pillars: string;
  visibility: Visibility;
  status: 'open' | 'adopted' | 'rejected' | 'withdrawn';
  version: number;
  revision: number;
  author_entity_id: string;
  endorsement_count: Generated<number>;
  objection_count: Generated<number>;
  comment_count: Generated<number>;
  /** JSON text, null until decided. */
  decision: string | null;
  /** When the consultation closes (ISO, UTC); null: no deadline. */
  closes_at: string | null;
  /** When the server recorded the close of the consultation; null while it is open. */
  consultation_closed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProposalEndorsementsTable {
  proposal_id: string;
  entity_id: string;
  revision: number;
  note: string | null;
  at: string;
  seq: number;
}

export interface ProposalObjectionsTable {
  proposal_id: string;
  entity_id: string;
  reason: string;
  at: string;
  seq: number;
}

export interface ActionItemsTable {
  id: string;
  group_id: string;
  visibility: Visibility;
  seq: number;
  title: string;
  owner_entity_id: string;
  due_date: string;
  proposal_id: string | null;
  status: 'open' | 'done' | 'cancelled';
  percent: number;
  version: number;
  /** The due date the item was last declared overdue for (`ActionItemBecameOverdue`); null if never. */
  overdue_for: string | null;
  created_at: string;
  updated_at: string;
}

export interface ActionItemHistoryTable {
  action_item_id: string;
  version: number;
  position: number;
  type: string;
  entity_id: string | null;
  person: string;
  role: string;
  at: string;
  /** JSON text. */
  detail: string;
}

export interface EditionsTable {
  id: string;
  number: number;
  title: string;
  starts_on: string;
  ends_on: string;
  venue: string;
  host_entity_id: string | null;
  /** Kept by the editions projection from the declaration's events; null before a draft. */
  declaration_status: 'draft' | 'silence' | 'adopted' | null;
  declaration_revision: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EditionAgendaTable {
  edition_id: string;
  proposal_id: string;
  group_id: string;
  visibility: Visibility;
  /** The log position of the event that put it on the agenda: the agenda's order. */
  seq: number;
}

export interface EditionAttendanceTable {
  edition_id: string;
  entity_id: string;
  entity_kind: 'member' | 'observer';
  /** JSON text: the delegates' names. */
  delegates: string;
}

export interface DeclarationsTable {
  edition_id: string;
  status: 'draft' | 'silence' | 'adopted';
  revision: number;
  version: number;
  silence_until: string | null;
  adopted_at: string | null;
  /** JSON array text, null until adopted. */
  adopted_by: string | null;
  text_hash: string | null;
  signature: string | null;
  receipt_position: number | null;
  receipt_hash: string | null;
  drafted_at: string;
  updated_at: string;
}

export interface DeclarationHistoryTable {
  edition_id: string;
  version: number;
  position: number;
  type: string;
  revision: number;
  entity_id: string | null;
  person: string;
  role: string;
  at: string;
  /** JSON text. */
  detail: string;
}
