import { randomUUID } from 'node:crypto';
import { webhookSignature } from '../http/webhook-auth.js';

/**
 * Plays the CRM: signs events the way the README tells a CRM to (HMAC over timestamp and body, WEBHOOK_SECRET)
 * and posts them to Tandem's real webhook routes.
 */
export class DemoCrm {
  constructor(
    private readonly appUrl: string,
    private readonly secret: string,
  ) {}

  async send(path: WebhookPath, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const raw = JSON.stringify({ event_id: `demo-${randomUUID()}`, ...body });
    const at = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${this.appUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tandem-timestamp': at,
        'x-tandem-signature': webhookSignature(this.secret, at, raw),
      },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    if (res.status >= 400) throw new Error(`${path} answered ${res.status}: ${text}`);
    return { status: res.status, body: json };
  }
}

export type WebhookPath = '/webhooks/lead-handoff' | '/webhooks/campaign' | '/webhooks/deal-closed';

const FIRST = ['Olivia', 'Noah', 'Amara', 'Lucas', 'Hana', 'Mateo', 'Zoe', 'Ibrahim', 'Freya', 'Kenji'];
const LAST = ['Bennett', 'Nakamura', 'Okoye', 'Fischer', 'Rossi', 'Haddad', 'Lindqvist', 'Moreau', 'Patel', 'Walsh'];
const COMPANIES = [
  'Bluefin Freight',
  'Cedar & Stone Retail',
  'Halcyon Foods',
  'Kestrel Parts Co.',
  'Meridian Cold Chain',
];
const TITLES = ['VP Operations', 'Director of Logistics', 'Warehouse Manager', 'Head of Supply Chain', 'COO'];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;

/** A plausible new lead for `ownerEmail`, from `campaignId` when given: what the CRM form sends. */
export function sampleLead(ownerEmail: string, campaignId?: string) {
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const company = pick(COMPANIES);
  const id = `L-${Math.floor(2000 + Math.random() * 7000)}`;
  return {
    lead: {
      id,
      name,
      email: `${name.toLowerCase().replace(' ', '.')}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      company,
      title: pick(TITLES),
      score: 55 + Math.floor(Math.random() * 40),
      source: campaignId ? 'Campaign form' : 'Website demo request',
      ...(campaignId ? { campaign_id: campaignId } : {}),
      notes: 'Asked for a call this week about consolidating three warehouses onto one system.',
      url: `https://crm.example/leads/${id}`,
    },
    owner: { email: ownerEmail },
  };
}

/** A campaign launched today by `ownerEmail`. */
export function sampleCampaign(ownerEmail: string, name: string) {
  const id = `cmp-${Math.floor(Math.random() * 1e6)}`;
  return {
    campaign: {
      id,
      name,
      status: 'launched',
      channel: 'Email + LinkedIn',
      starts_at: new Date().toISOString(),
      ends_at: new Date(Date.now() + 21 * 86_400_000).toISOString(),
      audience: 'Operations leaders at mid-size distributors',
      goal: '40 sales-ready leads in three weeks',
      talking_points: 'Lead with the pick-rate numbers from the Halcyon case study.',
      offer: 'Free warehouse layout review',
      url: `https://northwind.example/campaigns/${id}`,
      owner: { email: ownerEmail },
    },
  };
}

/** A deal won today by `ownerEmail`, tied to a campaign when given. */
export function sampleWin(ownerEmail: string, amount: number, campaignId?: string) {
  const company = pick(COMPANIES);
  const id = `D-${Math.floor(1000 + Math.random() * 9000)}`;
  return {
    deal: {
      id,
      name: `${company} · Fulfilment suite`,
      amount,
      currency: 'USD',
      closed_at: new Date().toISOString(),
      company,
      ...(campaignId ? { campaign_id: campaignId } : {}),
      stage: 'won',
      owner: { email: ownerEmail },
    },
  };
}
