/** Ids shared by the /campaign modal's blocks and the listener that reads them. */
export const CAMPAIGN_VIEW = 'campaign_announce';

/** Each input's block_id; errors from `response_action: "errors"` are keyed by these. */
export const BLOCK = {
  name: 'campaign_name',
  startsOn: 'campaign_starts_on',
  endsOn: 'campaign_ends_on',
  audience: 'campaign_audience',
  goal: 'campaign_goal',
  talkingPoints: 'campaign_talking_points',
  offer: 'campaign_offer',
  url: 'campaign_url',
} as const;

export const ACTION = {
  name: 'name_input',
  startsOn: 'starts_on_date',
  endsOn: 'ends_on_date',
  audience: 'audience_input',
  goal: 'goal_input',
  talkingPoints: 'talking_points_input',
  offer: 'offer_input',
  url: 'url_input',
} as const;

/** The webhook contract's limits, so Slack's client stops people before the server has to. */
export const MAX_LENGTH = {
  name: 300,
  audience: 1000,
  goal: 1000,
  talkingPoints: 3000,
  offer: 1000,
  url: 2000,
} as const;

/** What `/campaign` with text it does not know answers. */
export const CAMPAIGN_USAGE =
  '`/campaign` announces a campaign (a form opens); `/campaign list` shows what is live, launching in the next 14 days and just ended.';
