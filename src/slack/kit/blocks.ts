import type { Button, ContextBlock, HeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { truncate, truncateMrkdwn } from './mrkdwn.js';

/** Small Block Kit builders every message, modal and Home view uses, so limits are kept in one place. */

/** Plain text is never parsed for mentions: outside text may go in as it is. */
export const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** Already-escaped mrkdwn. */
export const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

/** Slack's limits that the helpers below keep. */
export const SECTION_TEXT_MAX = 3000;
export const HEADER_MAX = 150;
export const FIELD_TEXT_MAX = 2000;
export const CONTEXT_TEXT_MAX = 3000;
/** A message's top-level `text` (the notification and screen-reader text). */
export const MESSAGE_TEXT_MAX = 40_000;

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncateMrkdwn(text, SECTION_TEXT_MAX)),
});

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(truncate(text, HEADER_MAX)) });

/** A section field: already-escaped mrkdwn, kept within Slack's 2000 characters per field. */
export const field = (text: string): MrkdwnElement => mrkdwn(truncateMrkdwn(text, FIELD_TEXT_MAX));

/** A line of small grey text. */
export const context = (text: string): ContextBlock => ({
  type: 'context',
  elements: [mrkdwn(truncateMrkdwn(text, CONTEXT_TEXT_MAX))],
});

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: plain(text), action_id: actionId, value, ...(style ? { style } : {}) };
}
