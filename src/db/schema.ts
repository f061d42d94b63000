import type { ColumnType, Generated, Selectable } from 'kysely';
import type {
  AwayTable,
  HandoffBurstsTable,
  HandoffReassignmentsTable,
  PoolMembersTable,
  PoolsTable,
  RoutesTable,
} from './routing-schema.js';

export type * from './routing-schema.js';

/** A column the database fills in (default now()) that may also be written. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface CampaignsTable {
  id: Generated<string>;
  crm_id: string;
  name: string;
  status: Generated<CampaignStatus>;
  channel: string | null;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  audience: string | null;
  goal: string | null;
  talking_points: string | null;
  offer: string | null;
  url: string | null;
  /** numeric: pg returns it as a string to keep precision. */
  budget: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  owner_email: string | null;
  owner_slack_user_id: string | null;
  placeholder: Generated<boolean>;
  announcement_outbox_id: string | null;
  /** Time of the newest event applied (its occurred_at, else its receipt): an older event is stale. */
  source_updated_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}
export type CampaignStatus = 'planned' | 'launched' | 'updated' | 'ended';

export interface LeadsTable {
  id: Generated<string>;
  crm_id: string;
  name: string;
  email: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  score: number | null;
  source: string | null;
  url: string | null;
  /** Time of the newest handoff event applied to the lead: an older one is stale. */
  source_updated_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** `superseded`: the lead was handed off again before anyone accepted or rejected this one. */
export type HandoffStatus = 'pending' | 'accepted' | 'rejected' | 'superseded';

export interface HandoffsTable {
  id: Generated<string>;
  event_id: string;
  lead_id: string;
  campaign_id: string | null;
  owner_email: string | null;
  owner_slack_user_id: string | null;
  /** The CRM user who owns it (crm 'tandem' and the email for native webhooks); see crm_users. */
  owner_crm: string | null;
  owner_crm_id: string | null;
  owner_name: string | null;
  notes: string | null;
  occurred_at: Timestamp;
  received_at: CreatedAt;
  status: Generated<HandoffStatus>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  reject_reason: string | null;
  card_outbox_id: string | null;
  sla_reminded_at: NullableTimestamp;
  sla_escalated_at: NullableTimestamp;
  /** When the SLA clock started for the current owner (null: occurred_at); reset by a reassignment. */
  sla_started_at: NullableTimestamp;
  /** When the reminder, then reassignment or escalation, fall due (working hours); null until scheduled. */
  sla_due_at: NullableTimestamp;
  sla_late_at: NullableTimestamp;
  reassignments: Generated<number>;
  /** The owner's burst summary card this handoff is listed on instead of a card of its own. */
  summary_outbox_id: string | null;
}

export interface LeadFeedbackTable {
  id: Generated<string>;
  lead_id: string;
  handoff_id: string | null;
  rater_slack_user_id: string;
  rating: number;
  sales_ready: boolean;
  reasons: ColumnType<string[], string[] | undefined, string[]>;
  comment: string | null;
  created_at: CreatedAt;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxTable {
  id: Generated<string>;
  method: string;
  channel: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  depends_on: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  available_at: CreatedAt;
  claim_token: string | null;
  claimed_until: NullableTimestamp;
  last_error: string | null;
  delivered_ts: string | null;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface WebhookEventsTable {
  event_id: string;
  kind: string;
  received_at: CreatedAt;
}

export type DealStage = 'won' | 'lost';

export interface DealsTable {
  id: Generated<string>;
  crm_id: string;
  name: string;
  /** numeric(16,2): a string from both drivers, to keep cents exact. */
  amount: ColumnType<string, string | number, string | number>;
  currency: Generated<string>;
  stage: DealStage;
  lost_reason: string | null;
  closed_at: Timestamp;
  company: string | null;
  lead_id: string | null;
  lead_crm_id: string | null;
  lead_email: string | null;
  campaign_id: string | null;
  /** The deal in the CRM. */
  url: string | null;
  owner_email: string | null;
  owner_slack_user_id: string | null;
  celebration_outbox_id: string | null;
  /** Time of the newest event applied (its occurred_at, else its receipt): an older event is stale. */
  source_updated_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface JobRunsTable {
  job: string;
  scheduled_for: Timestamp;
  claimed_at: CreatedAt;
  claimed_by: string;
}

export interface ChannelBucketsTable {
  channel: string;
  tokens: number;
  updated_at: CreatedAt;
  held_until: NullableTimestamp;
}

export type ConnectorEventStatus = 'pending' | 'done' | 'failed';

export interface ConnectorEventsTable {
  id: Generated<string>;
  crm: string;
  dedupe_key: string;
  kind: string;
  object_id: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<ConnectorEventStatus>;
  attempts: Generated<number>;
  available_at: CreatedAt;
  claim_token: string | null;
  claimed_until: NullableTimestamp;
  last_error: string | null;
  outcome: string | null;
  processed_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface ConnectorObjectsTable {
  crm: string;
  object_type: string;
  object_id: string;
  modified_at: Timestamp;
}

export interface CrmUsersTable {
  crm: string;
  crm_user_id: string;
  email: string | null;
  name: string | null;
  slack_user_id: string | null;
  resolved_by: 'lookup' | 'admin';
  resolved_at: CreatedAt;
}

export interface Database {
  campaigns: CampaignsTable;
  leads: LeadsTable;
  handoffs: HandoffsTable;
  lead_feedback: LeadFeedbackTable;
  outbox: OutboxTable;
  webhook_events: WebhookEventsTable;
  deals: DealsTable;
  job_runs: JobRunsTable;
  channel_buckets: ChannelBucketsTable;
  connector_events: ConnectorEventsTable;
  connector_objects: ConnectorObjectsTable;
  crm_users: CrmUsersTable;
  pools: PoolsTable;
  pool_members: PoolMembersTable;
  away: AwayTable;
  routes: RoutesTable;
  handoff_reassignments: HandoffReassignmentsTable;
  handoff_bursts: HandoffBurstsTable;
}

export type Campaign = Selectable<CampaignsTable>;
export type Lead = Selectable<LeadsTable>;
export type Handoff = Selectable<HandoffsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type Deal = Selectable<DealsTable>;
export type ConnectorEventRow = Selectable<ConnectorEventsTable>;
export type CrmUser = Selectable<CrmUsersTable>;
export type HandoffReassignment = Selectable<HandoffReassignmentsTable>;
