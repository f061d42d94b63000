import type { Db } from '../../db/database.js';
import type { CrmUser, Handoff } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { slackErrorCode } from '../../slack/client.js';
import type { Person } from '../../slack/user-directory.js';
import { cardContext } from '../handoffs/queries.js';
import type { Decider } from '../handoffs/record.js';
import { enqueueCardUpdate } from '../handoffs/record.js';
import { type CrmUserKey, findCrmUser, lockPendingHandoffsOf, mapCrmUsers, saveLookup } from './queries.js';

/** A CRM user as an event names them: the CRM's id, and whatever the event itself says about them. */
export interface OwnerRef extends CrmUserKey {
  email?: string | undefined;
  name?: string | undefined;
}

/** Who an owner is in Slack: a person, a queue (nobody in particular), nobody yet, or unknown for now. */
export type OwnerLookup =
  | { kind: 'slack'; slackUserId: string }
  | { kind: 'queue' }
  | { kind: 'unmapped' }
  | { kind: 'failed'; reason: string };

export interface ResolvedOwner extends OwnerRef {
  lookup: OwnerLookup;
}

/** Reads a CRM user's email and name from the CRM's API; undefined when the CRM has no such user. */
export type ReadCrmUser = (
  id: string,
) => Promise<{ email?: string | undefined; name?: string | undefined } | undefined>;

/**
 * Salesforce ids start with a key prefix per object: 005 users, 00G groups, which is what a lead queue is. A
 * queue owns a lead until someone in it takes it: nobody in particular, so not someone to find in Slack.
 */
export function isQueue(key: CrmUserKey): boolean {
  return key.crm === 'salesforce' && key.id.startsWith('00G');
}

/** Native webhooks name owners by email: in the identity map as crm 'tandem', keyed by the email. */
export function nativeOwnerRef(person: Person | undefined): OwnerRef | undefined {
  const email = person?.email?.trim().toLowerCase();
  return email ? { crm: 'tandem', id: email, email } : undefined;
}

/**
 * Finds a CRM user's Slack person through the identity map: a mapped row, else their email (from the event, the
 * map, or `readUser`) looked up in Slack, the answer remembered. A failed Slack lookup is `failed`, never "nobody":
 * the caller must not treat the handoff as anyone's. `readUser` errors propagate (the connector retries).
 */
export async function resolveOwner(
  { db, users }: Pick<Deps, 'db' | 'users'>,
  ref: OwnerRef,
  readUser?: ReadCrmUser,
): Promise<ResolvedOwner> {
  if (isQueue(ref)) return { ...ref, lookup: { kind: 'queue' } };
  const known = await findCrmUser(db, ref);
  let email = ref.email ?? known?.email ?? undefined;
  let name = ref.name ?? known?.name ?? undefined;
  if (known?.slack_user_id) return { ...ref, email, name, lookup: { kind: 'slack', slackUserId: known.slack_user_id } };
  if (!email && readUser) {
    const read = await readUser(ref.id);
    email = read?.email?.trim() || undefined;
    name = name ?? (read?.name?.trim() || undefined);
  }
  const found = email ? await users.lookup(email) : ({ notFound: true } as const);
  if ('failed' in found) {
    if (!known) await saveLookup(db, { ...ref, email: email ?? null, name: name ?? null, slackUserId: null });
    return { ...ref, email, name, lookup: { kind: 'failed', reason: found.failed } };
  }
  const slackUserId = 'id' in found ? found.id : null;
  await saveLookup(db, { ...ref, email: email ?? null, name: name ?? null, slackUserId });
  return { ...ref, email, name, lookup: slackUserId ? { kind: 'slack', slackUserId } : { kind: 'unmapped' } };
}

/** The Slack id for a native webhook's person: theirs if given, else their email through the identity map. */
export async function resolvePerson(deps: Pick<Deps, 'db' | 'users'>, person: Person | undefined) {
  if (person?.slack_user_id) return person.slack_user_id;
  const ref = nativeOwnerRef(person);
  if (!ref) return null;
  const { lookup } = await resolveOwner(deps, ref);
  return lookup.kind === 'slack' ? lookup.slackUserId : null;
}

/** Admins: TANDEM_ADMINS, and the workspace's admins and owners (users.info). A failed check is a no. */
export async function isAdmin({ config, slack, logger }: Pick<Deps, 'config' | 'slack' | 'logger'>, userId: string) {
  if (config.admins.includes(userId)) return true;
  try {
    const { user } = await slack.interactive.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner);
  } catch (err) {
    logger.warn({ err: slackErrorCode(err), userId }, 'could not check whether a user is a workspace admin');
    return false;
  }
}

/** The CRM user who owns a handoff: its stored reference, else its owner's email as a native owner. */
export function handoffOwnerRef(
  handoff: Pick<Handoff, 'owner_crm' | 'owner_crm_id' | 'owner_email' | 'owner_name'>,
): OwnerRef | undefined {
  if (handoff.owner_crm && handoff.owner_crm_id) {
    return {
      crm: handoff.owner_crm,
      id: handoff.owner_crm_id,
      email: handoff.owner_email ?? undefined,
      name: handoff.owner_name ?? undefined,
    };
  }
  return nativeOwnerRef({ email: handoff.owner_email ?? undefined });
}

/**
 * Who may decide a handoff for `userId`, failing closed: its owner's Slack person when there is one (found now
 * if need be, and then shown on its open cards); a queue's lead is anyone's; an owner Slack could not be asked
 * about is nobody's until it can; an owner not in Slack is the admins' and the sales manager's.
 */
export async function deciderFor(
  deps: Pick<Deps, 'db' | 'users' | 'config' | 'slack' | 'logger'>,
  userId: string,
  handoff: Pick<Handoff, 'owner_slack_user_id' | 'owner_crm' | 'owner_crm_id' | 'owner_email' | 'owner_name'>,
): Promise<Decider> {
  if (handoff.owner_slack_user_id) return { userId, ownerId: handoff.owner_slack_user_id };
  const ref = handoffOwnerRef(handoff);
  const resolved = ref ? await resolveOwner(deps, ref) : undefined;
  const lookup = resolved?.lookup ?? { kind: 'unmapped' };
  if (lookup.kind === 'queue') return { userId, ownerId: null };
  if (lookup.kind === 'slack') {
    const known = ref ? await findCrmUser(deps.db, ref) : undefined;
    if (known) await deps.db.transaction().execute((trx) => showOwnerOnCards(trx, [known], lookup.slackUserId));
    return { userId, ownerId: lookup.slackUserId };
  }
  if (lookup.kind === 'failed') return { userId, ownerId: null, unresolved: { reason: 'lookup_failed' } };
  const mayDecide = userId === deps.config.salesManagerUserId || (await isAdmin(deps, userId));
  return { userId, ownerId: null, unresolved: { reason: 'not_in_slack', owner: ownerName(resolved), mayDecide } };
}

function ownerName(owner: OwnerRef | undefined): string {
  return owner?.name ?? owner?.email ?? owner?.id ?? 'its owner';
}

/**
 * Gives the pending handoffs of these CRM users their Slack owner and re-renders their cards in place (through the
 * outbox, in the caller's transaction). Returns the handoffs changed.
 */
export async function showOwnerOnCards(trx: Db, users: CrmUser[], slackUserId: string): Promise<Handoff[]> {
  const open = await lockPendingHandoffsOf(trx, users);
  const changed: Handoff[] = [];
  for (const h of open) {
    if (h.owner_slack_user_id === slackUserId) continue;
    const handoff = await trx
      .updateTable('handoffs')
      .set({ owner_slack_user_id: slackUserId })
      .where('id', '=', h.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await enqueueCardUpdate(trx, await cardContext(trx, handoff));
    changed.push(handoff);
  }
  return changed;
}

/** An admin's mapping: the CRM users named by `key` (id or email) are `slackUserId`, and their open cards say so. */
export async function mapOwner(db: Db, key: string, slackUserId: string) {
  return db.transaction().execute(async (trx) => {
    const users = await mapCrmUsers(trx, key, slackUserId);
    const handoffs = await showOwnerOnCards(trx, users, slackUserId);
    return { users, handoffs };
  });
}
