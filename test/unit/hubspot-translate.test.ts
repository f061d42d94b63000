import { describe, expect, it } from 'vitest';
import type { HubSpotContact, HubSpotDeal, HubSpotPipelines } from '../../src/connectors/hubspot/schema.js';
import { closedOutcome, isWatched, translateContact, translateDeal } from '../../src/connectors/hubspot/translate.js';

const contact = (properties: Record<string, string | null> = {}): HubSpotContact => ({
  id: '151',
  properties: {
    firstname: 'Dana',
    lastname: 'Whitfield',
    email: 'dana@northwind.example',
    company: 'Northwind',
    jobtitle: 'VP Operations',
    phone: '+1 555 0100',
    lifecyclestage: 'lead',
    hubspot_owner_id: '77',
    hubspot_owner_assigneddate: '2026-11-20T15:30:00.000Z',
    hs_analytics_source: 'EMAIL_MARKETING',
    hs_analytics_source_data_1: 'q4-webinar',
    ...properties,
  },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-20T15:30:00.000Z',
  archived: false,
});
const owner = { id: '77', email: 'owen@acme.example', firstName: 'Owen', lastName: 'Rep', userId: 9001 };
const options = {
  portalId: '62515',
  trigger: { kind: 'owner' } as const,
  campaignProperty: 'hs_analytics_source_data_1',
  occurredAt: Date.parse('2026-11-21T00:00:00Z'),
};

describe('a HubSpot contact as a lead handoff', () => {
  it('carries the lead, its campaign, its link and the owner’s email', () => {
    expect(translateContact(contact(), owner, options)).toEqual({
      event: {
        event_id: 'hubspot:contact:151:owner:77',
        occurred_at: '2026-11-20T15:30:00.000Z',
        lead: {
          id: '151',
          name: 'Dana Whitfield',
          email: 'dana@northwind.example',
          company: 'Northwind',
          title: 'VP Operations',
          phone: '+1 555 0100',
          source: 'EMAIL_MARKETING',
          campaign_id: 'q4-webinar',
          url: 'https://app.hubspot.com/contacts/62515/record/0-1/151',
        },
        owner: { email: 'owen@acme.example' },
      },
    });
  });

  it('is no handoff without an owner, or before the lifecycle stage the trigger names', () => {
    expect(translateContact(contact({ hubspot_owner_id: null }), undefined, options)).toEqual({
      skip: 'contact has no owner',
    });
    const sql = { ...options, trigger: { kind: 'lifecyclestage', stage: 'salesqualifiedlead' } as const };
    expect(translateContact(contact(), owner, sql)).toHaveProperty('skip');
    const reached = translateContact(contact({ lifecyclestage: 'salesqualifiedlead' }), owner, sql);
    expect(reached).toHaveProperty('event.lead.id', '151');
    // Without an assignment date the lifecycle trigger dates the handoff by the event.
    expect(reached).toHaveProperty('event.occurred_at', '2026-11-21T00:00:00.000Z');
  });

  it('names a contact without a name by its email, and reports data the domain refuses', () => {
    const unnamed = translateContact(contact({ firstname: null, lastname: ' ' }), owner, options);
    expect(unnamed).toHaveProperty('event.lead.name', 'dana@northwind.example');
    expect(translateContact(contact({ email: 'not-an-email' }), owner, options)).toEqual({
      invalid: expect.stringContaining('lead.email'),
    });
  });
});

const pipelines: HubSpotPipelines = {
  results: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        {
          id: 'appointmentscheduled',
          label: 'Appointment Scheduled',
          metadata: { isClosed: 'false', probability: '0.2' },
        },
        { id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
        { id: 'closedlost', label: 'Closed Lost', metadata: { isClosed: 'true', probability: '0.0' } },
      ],
    },
    {
      id: '1234',
      label: 'Renewals',
      stages: [
        { id: '5678', label: 'Renewed', metadata: { isClosed: 'true', probability: '1.0' } },
        { id: '5679', label: 'Churned', metadata: { isClosed: 'true', probability: '0.0' } },
        { id: '5680', label: 'Negotiating', metadata: { isClosed: 'false', probability: '1.0' } },
      ],
    },
  ],
};

const deal = (properties: Record<string, string | null> = {}, contacts = ['151']): HubSpotDeal => ({
  id: '9001',
  properties: {
    dealname: 'Northwind platform rollout',
    amount: '48000.50',
    dealstage: 'closedwon',
    pipeline: 'default',
    closedate: '2026-11-23T09:00:00Z',
    hubspot_owner_id: '77',
    ...properties,
  },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  associations: { contacts: { results: contacts.map((id) => ({ id, type: 'deal_to_contact' })) } },
});
const dealOptions = { portalId: '62515', defaultCurrency: 'EUR' };

describe('a HubSpot deal as a closed deal', () => {
  it('reads won and lost from the stage metadata of any pipeline; open stages are nothing', () => {
    expect(closedOutcome(pipelines, 'default', 'closedwon')).toBe('won');
    expect(closedOutcome(pipelines, 'default', 'closedlost')).toBe('lost');
    expect(closedOutcome(pipelines, '1234', '5678')).toBe('won');
    expect(closedOutcome(pipelines, '1234', '5679')).toBe('lost');
    expect(closedOutcome(pipelines, '1234', '5680')).toBeUndefined();
    expect(closedOutcome(pipelines, 'default', 'appointmentscheduled')).toBeUndefined();
    // The default pipeline's ids stand even when the pipeline list lacks them.
    expect(closedOutcome({ results: [] }, 'default', 'closedwon')).toBe('won');
  });

  it('carries the amount, the default currency, the close date, the owner and the contact as the lead', () => {
    expect(translateDeal(deal(), pipelines, owner, dealOptions)).toEqual({
      event: {
        event_id: 'hubspot:deal:9001:closedwon',
        deal: {
          id: '9001',
          name: 'Northwind platform rollout',
          amount: 48000.5,
          currency: 'EUR',
          closed_at: '2026-11-23T09:00:00.000Z',
          lead_id: '151',
          stage: 'won',
          url: 'https://app.hubspot.com/contacts/62515/record/0-3/9001',
          owner: { email: 'owen@acme.example' },
        },
      },
    });
    const lost = translateDeal(
      deal({ dealstage: '5679', pipeline: '1234', deal_currency_code: 'gbp', closed_lost_reason: 'Budget' }),
      pipelines,
      owner,
      dealOptions,
    );
    expect(lost).toHaveProperty('event.deal.stage', 'lost');
    expect(lost).toHaveProperty('event.deal.currency', 'GBP');
    expect(lost).toHaveProperty('event.deal.lost_reason', 'Budget');
  });

  it('does nothing for open stages or deals without an owner', () => {
    expect(translateDeal(deal({ dealstage: 'appointmentscheduled' }), pipelines, owner, dealOptions)).toEqual({
      skip: 'stage appointmentscheduled is open',
    });
    expect(translateDeal(deal(), pipelines, undefined, dealOptions)).toHaveProperty('skip');
  });
});

describe('which HubSpot events are worth storing', () => {
  const owner = { kind: 'owner' } as const;
  const stage = { kind: 'lifecyclestage', stage: 'salesqualifiedlead' } as const;
  const change = (subscriptionType: string, propertyName?: string) => ({ subscriptionType, propertyName });

  it('keeps contact creation and owner changes, and lifecycle changes only under that trigger', () => {
    expect(isWatched(change('contact.creation'), owner)).toBe(true);
    expect(isWatched(change('contact.propertyChange', 'hubspot_owner_id'), owner)).toBe(true);
    expect(isWatched(change('contact.propertyChange', 'lifecyclestage'), owner)).toBe(false);
    expect(isWatched(change('contact.propertyChange', 'lifecyclestage'), stage)).toBe(true);
    expect(isWatched(change('contact.propertyChange', 'firstname'), stage)).toBe(false);
  });

  it('keeps deal creation and changes to what a closed deal shows; ignores the rest', () => {
    expect(isWatched(change('deal.creation'), owner)).toBe(true);
    expect(isWatched(change('deal.propertyChange', 'dealstage'), owner)).toBe(true);
    expect(isWatched(change('deal.propertyChange', 'amount'), owner)).toBe(true);
    expect(isWatched(change('deal.propertyChange', 'description'), owner)).toBe(false);
    for (const type of [
      'contact.deletion',
      'contact.merge',
      'deal.associationChange',
      'company.creation',
      'ticket.creation',
    ]) {
      expect(isWatched(change(type), owner)).toBe(false);
    }
  });
});
