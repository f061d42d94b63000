import type { Deps } from '../../deps.js';
import type { Route } from '../../http/server.js';
import type { ConnectorHandler } from '../inbox-worker.js';
import { SalesforceClient } from './client.js';
import { salesforceHandler } from './process.js';
import { salesforceRoute } from './route.js';

/** Salesforce: the Outbound Message endpoint (always routed; 503 until configured) and the event processing. */
export function salesforceConnector(deps: Deps): { route: Route; handler: ConnectorHandler | undefined } {
  const sf = deps.config.salesforce;
  const client = sf?.api ? new SalesforceClient(sf.api, deps.metrics) : undefined;
  return { route: salesforceRoute(deps), handler: sf ? salesforceHandler(deps, sf, client) : undefined };
}
