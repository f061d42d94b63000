import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from './schema.js';

/** The routing tables: pools and their members, who is away, where cards go, reassignments and bursts. */

export interface PoolsTable {
  name: string;
  created_at: CreatedAt;
}

export interface PoolMembersTable {
  pool: string;
  slack_user_id: string;
  added_at: CreatedAt;
  last_assigned_at: NullableTimestamp;
}

export interface AwayTable {
  slack_user_id: string;
  /** The last day away (inclusive, `YYYY-MM-DD`); null: until they say they are back. */
  until_day: ColumnType<string | null, string | null | undefined, string | null>;
  set_by: string;
  set_at: CreatedAt;
}

export interface RoutesTable {
  /** A campaign's CRM id, or '' for the default route. */
  campaign_crm_id: string;
  channel: string;
  set_by: string;
  set_at: CreatedAt;
}

export interface HandoffReassignmentsTable {
  id: Generated<string>;
  handoff_id: string;
  pool: string;
  from_slack_user_id: string;
  to_slack_user_id: string;
  reason: string;
  waited_seconds: number;
  reassigned_at: CreatedAt;
}

export interface HandoffBurstsTable {
  owner_key: string;
  window_start: Timestamp;
  cards: number;
  summarised: number;
  summary_outbox_id: string | null;
}
