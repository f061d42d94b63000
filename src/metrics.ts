import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Backlog } from './db/leased-rows.js';

/** One registry per app instance (not prom-client's global), so several instances can share a process in tests. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] });
  return {
    registry,
    httpRequests: counter('tandem_http_requests_total', 'HTTP requests served, by route and status', [
      'route',
      'method',
      'status',
    ]),
    httpDuration: histogram(
      'tandem_http_request_duration_seconds',
      'Time to answer an HTTP request, by route',
      ['route'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    slackAcks: counter(
      'tandem_slack_acks_total',
      'Slack requests acknowledged, by kind (command, action, view_submission, options, event)',
      ['kind'],
    ),
    slackAckSeconds: histogram(
      'tandem_slack_ack_seconds',
      'Time from receiving a Slack request to acknowledging it (Slack allows 3 s)',
      ['kind'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    ),
    slackCalls: counter(
      'tandem_slack_api_calls_total',
      'Slack Web API calls, by method and result (ok or the error code)',
      ['method', 'result'],
    ),
    slackCallSeconds: histogram(
      'tandem_slack_api_call_seconds',
      'Slack Web API call latency, by method',
      ['method'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ),
    outboxDeliveries: counter(
      'tandem_outbox_deliveries_total',
      'Outbox delivery attempts, by result (delivered, retry, rate_limited, paced, failed)',
      ['result'],
    ),
    connectorEvents: counter(
      'tandem_connector_events_total',
      'CRM connector events, by crm and result (received, ignored, duplicate, processed, retry, rate_limited, failed)',
      ['crm', 'result'],
    ),
    connectorApiCalls: counter(
      'tandem_connector_api_calls_total',
      'CRM API reads by connectors, by crm, endpoint and result (ok, not_found, rate_limited, http_<status>, error)',
      ['crm', 'endpoint', 'result'],
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The help text of a leased table's three backlog gauges. */
export interface BacklogHelp {
  pending: string;
  failed: string;
  oldest: string;
}

/**
 * `<prefix>_pending`, `<prefix>_failed` and `<prefix>_oldest_pending_seconds`, read from the database when
 * /metrics is scraped: one read per scrape, shared by the three gauges; a failed read leaves them unset.
 */
export function registerBacklogGauges(
  metrics: Metrics,
  prefix: string,
  help: BacklogHelp,
  read: () => Promise<Backlog>,
): void {
  let latest: Promise<Backlog | undefined> | undefined;
  const backlog = () => {
    latest ??= read()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (latest = undefined), 500).unref());
    return latest;
  };
  const gauge = (name: string, text: string, pick: (b: Backlog) => number) =>
    new Gauge({
      name: `${prefix}_${name}`,
      help: text,
      registers: [metrics.registry],
      async collect() {
        const b = await backlog();
        if (b) this.set(pick(b));
      },
    });
  gauge('pending', help.pending, (b) => b.pending);
  gauge('failed', help.failed, (b) => b.failed);
  gauge('oldest_pending_seconds', help.oldest, (b) => b.oldestPendingSeconds);
}
