import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { ConnectorHandler } from '../inbox-worker.js';
import { PipedriveClient } from './client.js';
import { pipedriveHandler } from './process.js';
import { pipedriveRoute } from './route.js';

/** Pipedrive: the webhook target (always routed; 503 until configured) and the event processing. */
export function pipedriveConnector(deps: Deps): { route: Route; handler: ConnectorHandler | undefined } {
  const pd = deps.config.pipedrive;
  const client = pd?.api ? new PipedriveClient(pd.api, deps.metrics) : undefined;
  return { route: pipedriveRoute(deps), handler: pd ? pipedriveHandler(deps, client) : undefined };
}
