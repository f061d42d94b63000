/** Polls an async check until it returns something truthy, for state that settles after a response (DB rows). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
