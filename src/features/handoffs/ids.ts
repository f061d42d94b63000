/** Ids shared by the handoff card's buttons and their listeners. */
export const HANDOFF_ACTIONS_BLOCK = 'handoff_actions';
export const ACCEPT_ACTION = 'handoff_accept';
export const REJECT_ACTION = 'handoff_reject';
export const RATE_ACTION = 'handoff_rate';

/** The reject modal: why the owner rejects the lead, with the same rating questions as /leadfeedback. */
export const REJECT_VIEW = 'handoff_reject';
export const REJECT_REASON = { block: 'reject_reason', action: 'reject_reason_choice' } as const;
