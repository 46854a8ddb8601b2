/**
 * Waiting in tests: for a condition, never for a length of time. `until` polls `check` until it
 * returns something truthy and returns that; past `timeoutMs` it fails with `what` in the message.
 * A test that checks that something did NOT happen waits with `until` for the event that would
 * have come after it (a later job done, a twin order expired, a log line written) and then looks.
 */
export async function until<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  everyMs = 25,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await pause(everyMs);
  }
}

/** The interval between two looks of a polling loop (not a way to wait for something). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
