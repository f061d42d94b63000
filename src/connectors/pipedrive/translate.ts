import type { dealClosedEvent } from '../../features/deals/schema.js';
import type { leadHandoffEvent } from '../../features/handoffs/schema.js';
import {
  isoDate,
  type Owned,
  ownerlessDeal,
  ownerlessHandoff,
  type Translation,
  text,
  validate,
} from '../translation.js';
import type { PipedriveWebhook } from './schema.js';

type Data = Record<string, unknown>;

/** The id of a field that may come as a number, a string, or (older payloads) an object with `value` or `id`. */
function idOf(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const o = value as { value?: unknown; id?: unknown };
    return text(o.value) ?? text(o.id);
  }
  return text(value);
}

/** v2 persons carry `emails` / `phones` as `[{ value, primary, label }]`; the primary one, else the first. */
function primary(list: unknown): string | undefined {
  if (!Array.isArray(list)) return text(list);
  const items = list.filter((i): i is { value?: unknown; primary?: unknown } => !!i && typeof i === 'object');
  return text((items.find((i) => i.primary === true) ?? items[0])?.value);
}

/**
 * Whether a body can matter, from the body alone: a deal whose `status` became won or lost; a person or lead
 * created with an owner or whose owner changed. Everything else is answered and counted, not stored.
 */
export function isWatched(body: PipedriveWebhook): boolean {
  const { meta, data, previous } = body;
  if (!data || (meta.action !== 'create' && meta.action !== 'change')) return false;
  if (meta.entity === 'deal') {
    const status = text(data.status);
    return (status === 'won' || status === 'lost') && (meta.action === 'create' || previous?.status !== undefined);
  }
  if (meta.entity === 'person' || meta.entity === 'lead') {
    if (!idOf(data.owner_id)) return false;
    return meta.action === 'create' || (previous != null && 'owner_id' in previous);
  }
  return false;
}

/** When the object was last changed: what staleness is judged by. */
export function modifiedAt(data: Data): string | undefined {
  return isoDate(data.update_time);
}

/** `https://{company}.pipedrive.com/person/1`: the record in Pipedrive, when the body names the host. */
function recordUrl(host: string | undefined, path: string): string | undefined {
  return host && /^[a-z0-9.-]+\.pipedrive\.com$/i.test(host) ? `https://${host}/${path}` : undefined;
}

/** A person or lead assigned to an owner as a handoff (the CRM object id is the lead id). */
export function translateAssignment(
  body: PipedriveWebhook,
): Translation<Owned<ReturnType<typeof leadHandoffEvent.parse>>> {
  const data = body.data ?? {};
  const id = idOf(data.id) ?? body.meta.entity_id;
  const ownerId = idOf(data.owner_id);
  if (!id) return { invalid: 'the object has no id' };
  if (!ownerId) return { skip: `${body.meta.entity} has no owner` };
  const isLead = body.meta.entity === 'lead';
  const name = isLead
    ? text(data.title)
    : (text(data.name) ?? ([text(data.first_name), text(data.last_name)].filter(Boolean).join(' ') || undefined));
  const handoff = validate(ownerlessHandoff, {
    event_id: `pipedrive:${body.meta.entity}:${id}:owner:${ownerId}`,
    occurred_at: modifiedAt(data),
    lead: {
      id,
      name: name ?? `${isLead ? 'Lead' : 'Person'} ${id}`,
      email: isLead ? undefined : primary(data.emails ?? data.email),
      phone: isLead ? undefined : primary(data.phones ?? data.phone),
      source: text(data.source_name),
      url: recordUrl(body.meta.host, isLead ? `leads/inbox/${id}` : `person/${id}`),
    },
  });
  if (!('event' in handoff)) return handoff;
  return { event: { event: { ...handoff.event, owner: {} }, ownerId } };
}

/** A deal won or lost as a closed deal; its person is the lead (the id a person's handoff used). */
export function translateDeal(
  body: PipedriveWebhook,
  defaultCurrency = 'USD',
): Translation<Owned<ReturnType<typeof dealClosedEvent.parse>>> {
  const data = body.data ?? {};
  const id = idOf(data.id) ?? body.meta.entity_id;
  const status = text(data.status);
  if (!id) return { invalid: 'the deal has no id' };
  if (status !== 'won' && status !== 'lost') return { skip: `deal is ${status ?? 'without a status'}` };
  const value = data.value === null || data.value === undefined ? 0 : Number(data.value);
  const closedAt = isoDate(status === 'won' ? data.won_time : data.lost_time) ?? isoDate(data.close_time);
  const deal = validate(ownerlessDeal, {
    event_id: `pipedrive:deal:${id}:${status}`,
    deal: {
      id,
      name: text(data.title) ?? `Deal ${id}`,
      amount: Number.isFinite(value) ? value : Number.NaN,
      currency: text(data.currency) ?? defaultCurrency,
      closed_at: closedAt ?? modifiedAt(data),
      lead_id: idOf(data.person_id),
      stage: status,
      lost_reason: status === 'lost' ? text(data.lost_reason) : undefined,
    },
  });
  if (!('event' in deal)) return deal;
  return {
    event: { event: { ...deal.event, deal: { ...deal.event.deal, owner: {} } }, ownerId: idOf(data.owner_id) },
  };
}
