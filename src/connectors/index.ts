import type { Deps } from '../deps.js';
import type { Route } from '../http/server.js';
import type { HubSpotClientOptions } from './hubspot/client.js';
import { hubspotConnector } from './hubspot/index.js';
import type { ConnectorHandler } from './inbox-worker.js';
import { pipedriveConnector } from './pipedrive/index.js';
import { salesforceConnector } from './salesforce/index.js';

export interface ConnectorOptions {
  hubspot?: HubSpotClientOptions;
}

/** The one wiring list of CRM connectors: each one's webhook route and its handler for the shared inbox worker. */
export function registerConnectors(
  deps: Deps,
  options: ConnectorOptions = {},
): { routes: Route[]; handlers: Map<string, ConnectorHandler> } {
  const connectors = {
    hubspot: hubspotConnector(deps, options.hubspot),
    salesforce: salesforceConnector(deps),
    pipedrive: pipedriveConnector(deps),
  };
  const handlers = new Map<string, ConnectorHandler>();
  for (const [crm, connector] of Object.entries(connectors)) {
    if (connector.handler) handlers.set(crm, connector.handler);
  }
  return { routes: Object.values(connectors).map((c) => c.route), handlers };
}
