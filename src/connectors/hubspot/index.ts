import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { ConnectorHandler } from '../inbox-worker.js';
import { HubSpotClient, type HubSpotClientOptions } from './client.js';
import { hubspotHandler } from './process.js';
import { hubspotRoute } from './route.js';

/** HubSpot: the webhook target (always routed; 503 until configured) and, when configured, the event processing. */
export function hubspotConnector(
  deps: Deps,
  options: HubSpotClientOptions = {},
): { route: Route; handler: ConnectorHandler | undefined } {
  const hubspot = deps.config.hubspot;
  return {
    route: hubspotRoute(deps),
    handler: hubspot ? hubspotHandler(deps, hubspot, new HubSpotClient(hubspot, deps.metrics, options)) : undefined,
  };
}
