/** Reads one of the outbox gauges (`tandem_outbox_<name>`) from the app's /metrics, as a scraper would. */
export async function outboxGauge(appUrl: string, name: 'pending' | 'failed'): Promise<number> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`tandem_outbox_${name} `));
  if (!line) throw new Error(`/metrics has no tandem_outbox_${name}`);
  return Number(line.split(' ')[1]);
}
