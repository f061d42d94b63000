import type { Migration } from 'kysely/migration';
import * as initial from './2026_11_23_001_initial.js';
import * as eventsAndDeals from './2026_11_23_002_events_and_deals.js';
import * as jobRuns from './2026_11_23_003_job_runs.js';
import * as channelBuckets from './2026_11_23_005_channel_buckets.js';
import * as handoffsLeadRecentCovering from './2026_11_23_006_handoffs_lead_recent_covering.js';
import * as connectorInbox from './2026_11_29_001_connector_inbox.js';
import * as eventTimes from './2026_11_29_002_event_times.js';
import * as crmUsers from './2026_11_29_003_crm_users.js';
import * as digestDailyRollups from './2026_11_29_004_digest_daily_rollups.js';
import * as dealUrl from './2026_11_29_005_deal_url.js';
import * as routing from './2026_11_29_006_routing.js';
import * as outboxNotify from './2026_11_29_007_outbox_notify.js';

/**
 * Every migration, by name, in the order they run. Listed statically (rather than read from the folder) so they
 * load the same way under tsx, vitest and the compiled build.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_23_001_initial': initial,
  '2026_11_23_002_events_and_deals': eventsAndDeals,
  '2026_11_23_003_job_runs': jobRuns,
  '2026_11_23_005_channel_buckets': channelBuckets,
  '2026_11_23_006_handoffs_lead_recent_covering': handoffsLeadRecentCovering,
  '2026_11_29_001_connector_inbox': connectorInbox,
  '2026_11_29_002_event_times': eventTimes,
  '2026_11_29_003_crm_users': crmUsers,
  '2026_11_29_004_digest_daily_rollups': digestDailyRollups,
  '2026_11_29_005_deal_url': dealUrl,
  '2026_11_29_006_routing': routing,
  '2026_11_29_007_outbox_notify': outboxNotify,
};
