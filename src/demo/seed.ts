import type { Deps } from '../deps.js';
import { weeklyDigestJob } from '../features/digest/job.js';
import type { DemoCrm } from './crm.js';
import { answerModal } from './modal-answers.js';
import { DEMO_CHANNELS, type DemoPerson, demoPerson } from './people.js';
import { CAMPAIGN_OWNER, CAMPAIGNS, LEADS, type StoryLead } from './seed-story.js';
import type { DemoSlackClient } from './slack-client.js';
import type { DemoModal } from './types.js';
import type { DemoWorkspace } from './workspace.js';

const DAY = 86_400_000;
const WAIT_MS = 15_000;

interface SeedParts {
  crm: DemoCrm;
  client: DemoSlackClient;
  workspace: DemoWorkspace;
  deps: Deps;
}

/**
 * Tells the story of seed-story.ts through Tandem's public surface only: signed CRM webhooks for campaigns,
 * handoffs and deals; signed Slack requests for Accept, Reject (with its modal) and Rate lead (with its modal);
 * then one run of the weekly digest job, as the scheduler would run it. Each step waits for what Tandem posts,
 * because later steps press the buttons on those posts.
 */
export async function seedDemo({ crm, client, workspace, deps }: SeedParts, now = Date.now()): Promise<void> {
  const at = (daysAgo: number, hour = 10) => {
    const day = new Date(now - daysAgo * DAY);
    day.setUTCHours(hour, 0, 0, 0);
    return Math.min(day.getTime(), now - 2 * 3_600_000);
  };
  const story = [
    ...CAMPAIGNS.map((c) => ({ when: at(c.daysAgo, 8), run: () => launchCampaign(crm, c, at(c.daysAgo, 8)) })),
    ...CAMPAIGNS.filter((c) => c.endsDaysAgo !== undefined).map((c) => ({
      when: at(c.endsDaysAgo ?? 0, 17),
      run: () =>
        crm.send('/webhooks/campaign', {
          event_id: `seed-${c.id}-ended`,
          campaign: {
            id: c.id,
            name: c.name,
            status: 'ended',
            ends_at: new Date(at(c.endsDaysAgo ?? 0, 17)).toISOString(),
          },
        }),
    })),
    ...LEADS.map((lead, i) => ({
      when: at(lead.daysAgo, 9 + (i % 5)),
      run: () => handOff(crm, workspace, lead, at(lead.daysAgo, 9 + (i % 5))),
    })),
    ...LEADS.filter((lead) => lead.decision.kind !== 'pending').map((lead, i) => ({
      when: at(lead.daysAgo, 14 + (i % 3)),
      run: () => decide({ client, workspace }, lead),
    })),
    ...LEADS.filter((lead) => lead.deal).map((lead) => ({
      when: at(lead.deal?.daysAgo ?? 0, 15),
      run: () => closeDeal(crm, lead, at(lead.deal?.daysAgo ?? 0, 15)),
    })),
  ].sort((a, b) => a.when - b.when);

  for (const step of story) {
    workspace.pretendTime = step.when;
    await step.run();
    await settled(workspace);
  }
  workspace.pretendTime = undefined;
  await weeklyDigestJob(deps).run(new Date(Math.floor(now / 1000) * 1000));
  await workspace.slack.waitFor(
    () => workspace.slack.okCallsOf('chat.postMessage').some((c) => c.args.channel === DEMO_CHANNELS.digest.id),
    WAIT_MS,
    'the digest post',
  );
}

function launchCampaign(crm: DemoCrm, c: (typeof CAMPAIGNS)[number], when: number) {
  return crm.send('/webhooks/campaign', {
    event_id: `seed-${c.id}`,
    campaign: {
      id: c.id,
      name: c.name,
      status: 'launched',
      channel: c.channel,
      starts_at: new Date(when).toISOString(),
      ...(c.endsDaysAgo !== undefined ? { ends_at: new Date(Date.now() - c.endsDaysAgo * DAY).toISOString() } : {}),
      audience: c.audience,
      goal: c.goal,
      talking_points: c.talkingPoints,
      ...(c.offer ? { offer: c.offer } : {}),
      url: `https://northwind.example/campaigns/${c.id}`,
      budget: c.budget,
      owner: { email: CAMPAIGN_OWNER.email },
    },
  });
}

async function handOff(crm: DemoCrm, workspace: DemoWorkspace, lead: StoryLead, when: number) {
  await crm.send('/webhooks/lead-handoff', {
    event_id: `seed-${lead.id}`,
    occurred_at: new Date(when).toISOString(),
    lead: {
      id: lead.id,
      name: lead.name,
      email: `${lead.name.toLowerCase().replace(' ', '.')}@${lead.company.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      company: lead.company,
      title: lead.title,
      score: lead.score,
      source: lead.source,
      ...(lead.campaignId ? { campaign_id: lead.campaignId } : {}),
      ...(lead.notes ? { notes: lead.notes } : {}),
      url: `https://crm.example/leads/${lead.id}`,
    },
    owner: lead.owner,
  });
  await cardOf(workspace, lead);
}

/** The lead's card in #sales as it stands now. */
function latestCard(workspace: DemoWorkspace, lead: StoryLead) {
  return workspace
    .snapshot(lead.ownerId)
    .channels.find((c) => c.id === DEMO_CHANNELS.sales.id)
    ?.messages.find((m) => m.text.includes(lead.name));
}

/** The lead's card once Tandem has posted it. */
function cardOf(workspace: DemoWorkspace, lead: StoryLead) {
  return workspace.slack.waitFor(() => latestCard(workspace, lead), WAIT_MS, `the card of ${lead.name}`);
}

async function decide({ client, workspace }: Pick<SeedParts, 'client' | 'workspace'>, lead: StoryLead) {
  const owner = demoPerson(lead.ownerId) as DemoPerson;
  const press = async (actionId: string) => {
    const card = await cardOf(workspace, lead);
    const actions = (card.blocks as Array<Record<string, unknown>>).find((b) => b.type === 'actions');
    const element = ((actions?.elements ?? []) as Array<Record<string, unknown>>).find((e) => e.action_id === actionId);
    if (!actions || !element) throw new Error(`no ${actionId} button on the card of ${lead.name}`);
    const site = { kind: 'message' as const, channel: DEMO_CHANNELS.sales.id, ts: card.ts };
    await client.click(owner, site, String(actions.block_id), element);
  };
  const decision = lead.decision;
  if (decision.kind === 'accept') {
    await press('handoff_accept');
    await workspace.slack.waitFor(() => latestCard(workspace, lead)?.edited, WAIT_MS, 'the accepted card');
    const rating = decision.rating;
    if (!rating) return;
    await press('handoff_rate');
    const modal = await modalOf(workspace, owner, 'lead_feedback');
    const leadOption = findInitialLead(modal);
    const answers = { lead: leadOption, rating: rating.stars, sales_ready: rating.salesReady, reasons: rating.reasons };
    await client.submit(owner, modal, answerModal(modal.view, { ...answers, comment: rating.comment ?? '' }));
  } else if (decision.kind === 'reject') {
    await press('handoff_reject');
    const modal = await modalOf(workspace, owner, 'handoff_reject');
    const answers = {
      reject_reason: decision.reason,
      rating: decision.stars,
      sales_ready: 'no',
      comment: decision.comment,
    };
    await client.submit(owner, modal, answerModal(modal.view, answers));
  }
  if (workspace.modalOf(owner.id)) throw new Error(`Tandem did not accept the modal for ${lead.name}`);
}

function modalOf(workspace: DemoWorkspace, person: DemoPerson, callbackId: string): Promise<DemoModal> {
  return workspace.slack.waitFor(
    () => {
      const modal = workspace.modalOf(person.id);
      return modal?.view.callback_id === callbackId ? modal : undefined;
    },
    WAIT_MS,
    `the ${callbackId} modal`,
  );
}

function findInitialLead(modal: DemoModal): string {
  const block = (modal.view.blocks as Array<Record<string, unknown>>).find((b) => b.block_id === 'lead');
  const option = (block?.element as { initial_option?: { value: string } } | undefined)?.initial_option;
  if (!option) throw new Error('the Rate lead modal names no lead');
  return option.value;
}

function closeDeal(crm: DemoCrm, lead: StoryLead, when: number) {
  const deal = lead.deal;
  if (!deal) return Promise.resolve();
  return crm.send('/webhooks/deal-closed', {
    event_id: `seed-${deal.id}`,
    deal: {
      id: deal.id,
      name: deal.name,
      amount: deal.amount,
      currency: 'USD',
      closed_at: new Date(when).toISOString(),
      company: lead.company,
      lead_id: lead.id,
      ...(lead.campaignId ? { campaign_id: lead.campaignId } : {}),
      stage: deal.stage,
      ...(deal.lostReason ? { lost_reason: deal.lostReason } : {}),
      owner: lead.owner,
    },
  });
}

/** Lets the outbox deliver what the last step queued, so the next step's posts show a later time. */
async function settled(workspace: DemoWorkspace): Promise<void> {
  let last = -1;
  while (workspace.slack.calls.length !== last) {
    last = workspace.slack.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}
