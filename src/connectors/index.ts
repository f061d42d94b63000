import type { Deps } from '../deps.js';
import type { Route } from '../http/server.js';
import type { HubSpotClientOptions } from './hubspot/client.js';
import { hubspotConnector } from './hubspot/index.js';
import type { ConnectorHandler } from './inbox-worker.js';

export interface ConnectorOptions {
  hubspot?: HubSpotClientOptions;
}

/** The one wiring list of CRM connectors: each one's webhook route and its handler for the shared inbox worker. */
export function registerConnectors(
  deps: Deps,
  options: ConnectorOptions = {},
): { routes: Route[]; handlers: Map<string, ConnectorHandler> } {
  const hubspot = hubspotConnector(deps, options.hubspot);
  const handlers = new Map<string, ConnectorHandler>();
  if (hubspot.handler) handlers.set('hubspot', hubspot.handler);
  return { routes: [hubspot.route], handlers };
}
