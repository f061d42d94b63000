import { createLogger } from '../logger.js';
import { startDemo } from './start.js';

/**
 * `npm run demo [-- --reset]`: Tandem with a Slack stand-in and a Slack-like page, no credentials, no database
 * server. Run with tsx rather than compiled: the page's files are served from src/demo/public as they are, and
 * nothing of the demo ends up on the path of `npm start`.
 */
const reset = process.argv.includes('--reset');
const dataDir = process.env.DEMO_DATA_DIR?.trim() || './demo-data';
const port = Number(process.env.PORT?.trim() || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`PORT must be a port number from 0 to 65535, not ${process.env.PORT}\n`);
  process.exit(1);
}
// Quiet by default: the one line the demo prints is the URL to open.
const logger = createLogger(process.env.LOG_LEVEL?.trim() || 'warn');

try {
  const demo = await startDemo({ dataDir, port, reset, logger });
  process.stdout.write(`Tandem demo: ${demo.url}\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    demo.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'demo shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  logger.fatal({ err }, 'the demo could not start');
  process.exit(1);
}
