/** Ids shared by the feedback modal's blocks and the listeners that read them. */
export const FEEDBACK_VIEW = 'lead_feedback';
export const LEAD_SELECT = 'lead_select';

export const BLOCK = {
  lead: 'lead',
  rating: 'rating',
  salesReady: 'sales_ready',
  reasons: 'reasons',
  comment: 'comment',
} as const;

export const ACTION = {
  rating: 'rating_choice',
  salesReady: 'sales_ready_choice',
  reasons: 'reasons_choice',
  comment: 'comment_input',
} as const;

export const RATINGS = ['1', '2', '3', '4', '5'] as const;

export const RATING_LABELS: Record<(typeof RATINGS)[number], string> = {
  '1': '1 · Poor: not a fit at all',
  '2': '2 · Weak: little chance',
  '3': '3 · Fair: worth a call',
  '4': '4 · Good: real interest',
  '5': '5 · Excellent: ready to buy',
};

/** Why a lead was good or bad. Values are stored and counted by the digest: never rename one. */
export const REASONS = {
  icp_fit: 'Right company and persona',
  strong_intent: 'Clear intent or active project',
  wrong_persona: 'Wrong persona or seniority',
  not_icp: 'Company outside our target market',
  no_budget: 'No budget',
  no_need: 'No current need',
  bad_timing: 'Bad timing',
  bad_contact: 'Wrong or missing contact details',
  existing: 'Already a customer or in pipeline',
  junk: 'Spam, student or competitor',
} as const;

export type ReasonCode = keyof typeof REASONS;

/** The reasons a handoff may be rejected for: the negative half of REASONS, so the digest counts them together. */
export const REJECT_REASONS = [
  'wrong_persona',
  'not_icp',
  'no_budget',
  'no_need',
  'bad_timing',
  'bad_contact',
  'existing',
  'junk',
] as const satisfies readonly ReasonCode[];

export const COMMENT_MAX = 2000;
