/** The Slack kit: mrkdwn text, Block Kit builders and formats shared by every feature's blocks. */
export * from './blocks.js';
export * from './format.js';
export * from './mrkdwn.js';
