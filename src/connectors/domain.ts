import type { Db } from '../db/database.js';
import { recordEventOnce } from '../db/events.js';
import type { Deps } from '../deps.js';
import { recordDealClosed } from '../features/deals/record.js';
import type { DealClosedEvent } from '../features/deals/schema.js';
import { cardPosting, recordHandoff } from '../features/handoffs/record.js';
import type { LeadHandoffEvent } from '../features/handoffs/schema.js';
import { LATEST_HANDOFF_FIRST, leadLockKeys } from '../features/leads/queries.js';
import { type OwnerRef, type ReadCrmUser, type ResolvedOwner, resolveOwner } from '../features/people/record.js';
import { PermanentFailure, type Processed } from './inbox-worker.js';
import { isStale } from './objects.js';
import type { Owned, Translation } from './translation.js';

/** Where a connector's domain event came from: the CRM object and, when the CRM says, its modification time. */
export interface CrmObject {
  crm: string;
  type: string;
  id: string;
  /** Absent when the CRM sent none: the copy is then applied as it comes. */
  modifiedAt?: string | undefined;
}

/**
 * A CRM owner through the identity map, for a connector. A Slack lookup that failed is an error, so the inbox
 * retries the event with backoff rather than recording a handoff whose owner we do not know.
 */
export async function connectorOwner(
  deps: Pick<Deps, 'db' | 'users'>,
  ref: OwnerRef,
  readUser?: ReadCrmUser,
): Promise<ResolvedOwner> {
  const owner = await resolveOwner(deps, ref, readUser);
  if (owner.lookup.kind === 'failed') {
    throw new Error(`Slack could not say who ${ref.crm} user ${ref.id} is (${owner.lookup.reason})`);
  }
  return owner;
}

/** What processing a stale copy comes to. */
export const STALE = 'nothing: a newer copy was applied';

/** Whether this copy of the object is older than one already applied (never, when the CRM sent no time). */
export function isStaleCopy(trx: Db, object: CrmObject): Promise<boolean> {
  if (!object.modifiedAt) return Promise.resolve(false);
  return isStale(trx, object.crm, object.type, object.id, object.modifiedAt);
}

export const slackIdOf = (owner: ResolvedOwner | undefined) =>
  owner?.lookup.kind === 'slack' ? owner.lookup.slackUserId : null;

/**
 * A connector's handoff, applied by the same domain step the native webhook uses. Handed to the owner of the
 * lead's latest handoff again, it is the same handoff. The previous handoff is part of the event id, so two
 * workers racing on one assignment compute the same id and only one records it.
 */
export function handoffStep(
  deps: Pick<Deps, 'config'>,
  object: CrmObject,
  event: LeadHandoffEvent,
  owner: ResolvedOwner,
): Processed {
  return {
    outcome: 'handoff',
    async apply(trx) {
      if (await isStaleCopy(trx, object)) return STALE;
      const latest = await trx
        .selectFrom('handoffs')
        .innerJoin('leads', 'leads.id', 'handoffs.lead_id')
        .select(['handoffs.id', 'handoffs.owner_email', 'handoffs.owner_crm', 'handoffs.owner_crm_id'])
        .where('leads.crm_id', '=', event.lead.id)
        .orderBy(LATEST_HANDOFF_FIRST)
        .limit(1)
        .executeTakeFirst();
      const sameOwner =
        latest &&
        (latest.owner_crm
          ? latest.owner_crm === owner.crm && latest.owner_crm_id === owner.id
          : latest.owner_email?.toLowerCase() === owner.email?.toLowerCase());
      if (sameOwner) return 'nothing: already handed to this owner';
      const eventId = `${event.event_id}:after:${latest?.id ?? 'none'}`;
      const locks = leadLockKeys({ crmId: event.lead.id, email: event.lead.email });
      if (!(await recordEventOnce(trx, eventId, `${object.crm}-${object.type}`, locks))) {
        return 'nothing: duplicate handoff';
      }
      const recorded = await recordHandoff(
        trx,
        { ...event, event_id: eventId },
        slackIdOf(owner),
        cardPosting(deps.config),
        owner,
      );
      return `handoff ${recorded.id}`;
    },
  };
}

/** A connector's closed deal, applied by the native webhook's domain step (idempotent by deal). */
export function dealStep(
  deps: Pick<Deps, 'config'>,
  object: CrmObject,
  event: DealClosedEvent,
  owner: ResolvedOwner | undefined,
): Processed {
  return {
    outcome: 'deal',
    async apply(trx) {
      if (await isStaleCopy(trx, object)) return STALE;
      // recordDealClosed celebrates a win once and edits it only when what it shows changed.
      const { deal: stored, celebration } = await recordDealClosed(trx, event, {
        ownerSlackUserId: slackIdOf(owner),
        winsChannel: deps.config.channels.wins,
      });
      return `deal ${stored.id} ${stored.stage}, celebration ${celebration}`;
    },
  };
}

/** A translation's skip as an outcome, its invalid data as a permanent failure, or the event to apply. */
export function settled<T>(object: CrmObject, translated: Translation<Owned<T>>): Processed | { event: Owned<T> } {
  if ('skip' in translated) return { outcome: `nothing: ${translated.skip}` };
  if ('invalid' in translated) {
    throw new PermanentFailure(`${object.type} ${object.id} cannot be recorded: ${translated.invalid}`);
  }
  return translated;
}
