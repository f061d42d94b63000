import { DEMO_PEOPLE } from './people.js';

/**
 * A few weeks at Northwind Systems, a warehouse-software vendor: three campaigns, the leads they found, what
 * sales made of them and the deals that closed. Days are counted back from the day the demo is first started.
 */

const { maya, diego, priya } = DEMO_PEOPLE;

export interface StoryCampaign {
  id: string;
  name: string;
  daysAgo: number;
  endsDaysAgo?: number;
  channel: string;
  audience: string;
  goal: string;
  talkingPoints: string;
  offer?: string;
  budget: number;
}

export const CAMPAIGNS: StoryCampaign[] = [
  {
    id: 'cmp-webinar-q4',
    name: 'Warehouse Automation Live: Q4 webinar',
    daysAgo: 27,
    endsDaysAgo: 13,
    channel: 'Webinar',
    audience: 'Operations leaders at distributors with 2–10 warehouses',
    goal: '300 registrations, 25 sales-ready leads',
    talkingPoints: 'Attendees saw the live pick-path demo. Ask which of their sites has the worst pick rate.',
    budget: 18000,
  },
  {
    id: 'cmp-roi-playbook',
    name: 'The Logistics ROI Playbook (eBook)',
    daysAgo: 20,
    channel: 'Paid search + email',
    audience: 'Heads of supply chain and COOs, 200–2,000 employees',
    goal: '40 sales-ready leads this quarter',
    talkingPoints: 'Chapter 3 (labour cost per order) is what readers quote back. Offer the ROI calculator call.',
    offer: 'Free 30-minute ROI review with a solutions engineer',
    budget: 24000,
  },
  {
    id: 'cmp-peak-linkedin',
    name: 'Peak Season Readiness · LinkedIn',
    daysAgo: 6,
    channel: 'LinkedIn lead forms',
    audience: 'Fulfilment and logistics directors in retail and apparel',
    goal: '20 demo requests before Black Friday',
    talkingPoints: 'They are worried about December volumes. Lead with the two-week go-live for one site.',
    offer: '20% off the first year when signed before Dec 15',
    budget: 9500,
  },
];

export type Decision =
  | { kind: 'accept'; rating?: { stars: string; salesReady: 'yes' | 'no'; reasons: string[]; comment?: string } }
  | { kind: 'reject'; reason: string; stars: string; comment: string }
  | { kind: 'pending' };

export interface StoryLead {
  id: string;
  name: string;
  company: string;
  title: string;
  score: number;
  source: string;
  campaignId?: string;
  /** By email for some, so Tandem looks the rep up in Slack as it would for a CRM that knows only emails. */
  owner: { email: string } | { slack_user_id: string };
  ownerId: string;
  daysAgo: number;
  notes?: string;
  decision: Decision;
  deal?: { id: string; name: string; amount: number; daysAgo: number; stage: 'won' | 'lost'; lostReason?: string };
}

const byEmail = (p: { email: string }) => ({ email: p.email });
const byId = (p: { id: string }) => ({ slack_user_id: p.id });

export const LEADS: StoryLead[] = [
  {
    ...{ id: 'L-1041', name: 'Olivia Bennett', company: 'Bluefin Freight', title: 'VP Operations', score: 88 },
    ...{ source: 'Webinar attendee', campaignId: 'cmp-webinar-q4', owner: byEmail(maya), ownerId: maya.id },
    daysAgo: 25,
    notes: 'Stayed for the whole Q&A and asked about pricing for three sites.',
    decision: {
      kind: 'accept',
      rating: {
        stars: '5',
        salesReady: 'yes',
        reasons: ['icp_fit', 'strong_intent'],
        comment: 'Budget approved for Q1. Exactly the persona we want.',
      },
    },
    deal: { id: 'D-3301', name: 'Bluefin Freight · 3-site rollout', amount: 48000, daysAgo: 9, stage: 'won' },
  },
  {
    ...{ id: 'L-1042', name: 'Noah Fischer', company: 'Kestrel Parts Co.', title: 'Warehouse Manager', score: 61 },
    ...{ source: 'Webinar attendee', campaignId: 'cmp-webinar-q4', owner: byId(diego), ownerId: diego.id },
    daysAgo: 24,
    decision: {
      kind: 'reject',
      reason: 'no_budget',
      stars: '2',
      comment: 'Likes the product, but spending is frozen until next fiscal year.',
    },
  },
  {
    ...{ id: 'L-1057', name: 'Amara Okoye', company: 'Halcyon Foods', title: 'Head of Supply Chain', score: 92 },
    ...{ source: 'eBook download', campaignId: 'cmp-roi-playbook', owner: byEmail(maya), ownerId: maya.id },
    daysAgo: 18,
    notes: 'Read the whole playbook; downloaded the ROI calculator twice.',
    decision: { kind: 'accept', rating: { stars: '4', salesReady: 'yes', reasons: ['icp_fit'] } },
    deal: { id: 'D-3317', name: 'Halcyon Foods · Fulfilment suite', amount: 126500, daysAgo: 3, stage: 'won' },
  },
  {
    ...{
      id: 'L-1063',
      name: 'Lucas Moreau',
      company: 'Cedar & Stone Retail',
      title: 'Director of Logistics',
      score: 74,
    },
    ...{ source: 'eBook download', campaignId: 'cmp-roi-playbook', owner: byId(diego), ownerId: diego.id },
    daysAgo: 16,
    decision: {
      kind: 'accept',
      rating: { stars: '3', salesReady: 'no', reasons: ['bad_timing'], comment: 'Interested, but not before peak.' },
    },
    deal: {
      ...{ id: 'D-3320', name: 'Cedar & Stone · Pilot', amount: 15000, daysAgo: 2, stage: 'lost' },
      lostReason: 'Postponed until after peak season',
    },
  },
  {
    ...{ id: 'L-1068', name: 'Hana Nakamura', company: 'Meridian Cold Chain', title: 'COO', score: 80 },
    ...{ source: 'eBook download', campaignId: 'cmp-roi-playbook', owner: byId(diego), ownerId: diego.id },
    daysAgo: 13,
    decision: { kind: 'accept' },
    deal: { id: 'D-3324', name: 'Meridian Cold Chain · 1 site', amount: 32000, daysAgo: 1, stage: 'won' },
  },
  {
    ...{ id: 'L-1072', name: 'Ibrahim Haddad', company: 'Riverside University', title: 'Student', score: 22 },
    ...{ source: 'eBook download', campaignId: 'cmp-roi-playbook', owner: byEmail(maya), ownerId: maya.id },
    daysAgo: 10,
    decision: { kind: 'reject', reason: 'junk', stars: '1', comment: 'Writing a thesis on logistics; not a buyer.' },
  },
  {
    ...{ id: 'L-1080', name: 'Freya Lindqvist', company: 'Northpoint Distribution', title: 'VP Supply Chain' },
    ...{ score: 85, source: 'LinkedIn lead form', campaignId: 'cmp-peak-linkedin', owner: byId(diego) },
    ownerId: diego.id,
    daysAgo: 3,
    notes: 'Wants to be live at their Leeds site before Christmas.',
    decision: { kind: 'pending' },
  },
  {
    ...{ id: 'L-1086', name: 'Zoe Walsh', company: 'Brightline Apparel', title: 'Head of Fulfilment', score: 77 },
    ...{ source: 'LinkedIn lead form', campaignId: 'cmp-peak-linkedin', owner: byEmail(maya), ownerId: maya.id },
    daysAgo: 0,
    notes: 'Requested a demo for next Tuesday; currently on spreadsheets and a legacy WMS.',
    decision: { kind: 'pending' },
  },
];

export const CAMPAIGN_OWNER = priya;
