/**
 * Replies that leave through the channel outbox (src/services/outbound) arrive a moment after the request that
 * queued them: `eventually` re-runs an assertion until it holds (or the time is up, then its last failure is thrown).
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 10_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
