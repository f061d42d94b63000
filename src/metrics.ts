import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance (not prom-client's global), so several instances can share a process in tests. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'tandem_http_requests_total',
      help: 'HTTP requests served, by route and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    slackAcks: new Counter({
      name: 'tandem_slack_acks_total',
      help: 'Slack requests acknowledged, by kind (command, action, view_submission, options, event)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    slackAckSeconds: new Histogram({
      name: 'tandem_slack_ack_seconds',
      help: 'Time from receiving a Slack request to acknowledging it (Slack allows 3 s)',
      labelNames: ['kind'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: 'tandem_slack_api_calls_total',
      help: 'Slack Web API calls, by method and result (ok or the error code)',
      labelNames: ['method', 'result'] as const,
      registers: [registry],
    }),
    slackCallSeconds: new Histogram({
      name: 'tandem_slack_api_call_seconds',
      help: 'Slack Web API call latency, by method',
      labelNames: ['method'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    outboxDeliveries: new Counter({
      name: 'tandem_outbox_deliveries_total',
      help: 'Outbox delivery attempts, by result (delivered, retry, rate_limited, paced, failed)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    connectorEvents: new Counter({
      name: 'tandem_connector_events_total',
      help: 'CRM connector events, by crm and result (received, ignored, duplicate, processed, retry, rate_limited, failed)',
      labelNames: ['crm', 'result'] as const,
      registers: [registry],
    }),
    connectorApiCalls: new Counter({
      name: 'tandem_connector_api_calls_total',
      help: 'CRM API reads by connectors, by crm, endpoint and result (ok, not_found, rate_limited, http_<status>, error)',
      labelNames: ['crm', 'endpoint', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

interface Backlog {
  pending: number;
  failed: number;
  oldestPendingSeconds: number;
}

/** Outbox gauges, read from the database when /metrics is scraped (a failed read leaves them unset). */
export function registerBacklogGauges(metrics: Metrics, read: () => Promise<Backlog>): void {
  let latest: Promise<Backlog | undefined> | undefined;
  // One read per scrape, shared by the three gauges.
  const backlog = () => {
    latest ??= read()
      .catch(() => undefined)
      .finally(() => setTimeout(() => (latest = undefined), 500).unref());
    return latest;
  };
  const gauge = (name: string, help: string, pick: (b: Backlog) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        const b = await backlog();
        if (b) this.set(pick(b));
      },
    });
  gauge('tandem_outbox_pending', 'Slack deliveries waiting in the outbox', (b) => b.pending);
  gauge('tandem_outbox_failed', 'Slack deliveries given up on (replay with npm run outbox)', (b) => b.failed);
  gauge(
    'tandem_outbox_oldest_pending_seconds',
    'Age of the oldest undelivered outbox row',
    (b) => b.oldestPendingSeconds,
  );
}
