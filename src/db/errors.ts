const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when an error means the database cannot be reached right now (as opposed to a bad query): callers answer
 * 503 so senders retry, and people are asked to try again.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    CONNECTION_ERRNOS.has(code) ||
    code.startsWith('08') || // connection exceptions
    code.startsWith('57P') || // admin shutdown, crash shutdown, cannot connect now
    code === '53300' || // too many connections
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|PGlite is closed|driver has already been destroyed|Client was closed/i.test(
      message,
    )
  );
}

/** PostgreSQL cancelled the statement (statement_timeout, or a cancel request): query_canceled. */
export function isStatementTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === '57014';
}
