import type { z } from 'zod';
import type { Metrics } from '../metrics.js';
import { PermanentFailure, RetryLater } from './inbox-worker.js';

/** When a 429 carries no Retry-After: CRM limits are per second or per few seconds; ten seconds is a fair wait. */
const DEFAULT_RETRY_AFTER_MS = 10_000;

/** What a CRM's API read came to, for a connector's handler: the parsed body, or nothing (404: deleted, unknown). */
export interface CrmApiOptions {
  crm: string;
  metrics: Metrics;
  timeoutMs?: number;
  /** The CRM's error body as a short message for the log and the failed event. */
  errorMessage(body: string): string;
}

/**
 * One API read or token request with plain fetch, as every connector needs it: a timeout, 404 as "not found",
 * 429's Retry-After as RetryLater (not a failure), other 4xx as permanent (retrying cannot fix a bad token or a
 * missing scope), 5xx as retryable, and the answer checked with zod. Counted per CRM, endpoint and result.
 */
export async function crmRequest<T>(
  options: CrmApiOptions,
  endpoint: string,
  url: string,
  init: RequestInit,
  schema: z.ZodType<T>,
): Promise<T | undefined> {
  const { crm, metrics } = options;
  const count = (result: string) => metrics.connectorApiCalls.inc({ crm, endpoint, result });
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (err) {
    count('error');
    throw new Error(`${crm} ${endpoint} request failed: ${(err as Error).message}`);
  }
  const body = await res.text().catch(() => '');
  if (res.status === 404) {
    count('not_found');
    return undefined;
  }
  if (res.status === 429) {
    count('rate_limited');
    const seconds = Number(res.headers.get('retry-after'));
    const wait = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS;
    throw new RetryLater(wait, `${crm} rate limit (${endpoint}): ${options.errorMessage(body)}`);
  }
  if (!res.ok) {
    count(`http_${res.status}`);
    const message = `${crm} ${endpoint} answered ${res.status}: ${options.errorMessage(body)}`;
    throw res.status >= 500 || res.status === 408 ? new Error(message) : new PermanentFailure(message);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    count('error');
    throw new Error(`${crm} ${endpoint} answered with something other than JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    count('error');
    throw new PermanentFailure(`${crm} ${endpoint} answer has an unexpected shape: ${parsed.error.message}`);
  }
  count('ok');
  return parsed.data;
}

/** Remembers loaded values (owners, pipelines, tokens) for a while; failures are not remembered. */
export class TimedCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  constructor(private readonly ttlMs: number) {}

  get<T>(key: string, load: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > Date.now()) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { value, expires: Date.now() + ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
