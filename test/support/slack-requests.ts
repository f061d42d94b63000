export * from '../../src/slack-standin/requests.js';
