// Retry policy of every request to the network (token endpoint, certificate, licenses).

/** Retry policy for token requests (network errors, timeouts, 429 and 5xx). */
export interface RetryOptions {
  /** Attempts in all, first included (default 3). */
  maxAttempts?: number;
  /** First backoff delay (default 250 ms), doubled each attempt, with full jitter. */
  baseDelayMs?: number;
  /** Cap on one delay (default 4 s). */
  maxDelayMs?: number;
  /** Cap on the whole operation including retries (default 20 s). */
  maxTotalMs?: number;
}
