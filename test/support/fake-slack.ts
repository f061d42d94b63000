export * from '../../src/slack-standin/server.js';
