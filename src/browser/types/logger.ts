// The logger an app may pass (tokens are redacted before it sees anything).

/** A logger you supply (`console` fits); every method is optional. */
export interface Logger {
  /** Debug detail (rights URLs redacted, timings). */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Notable steps (retries, refreshes). */
  info?(message: string, data?: Record<string, unknown>): void;
  /** Failures that may recover. */
  warn?(message: string, data?: Record<string, unknown>): void;
  /** Failures. */
  error?(message: string, data?: Record<string, unknown>): void;
}
