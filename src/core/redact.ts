// Tokens are bearer credentials: whoever holds a rights URL can redeem it. Every
// log line and error message passes through here.

const TOKEN_PARAM_RE = /(ExpressPlayToken=)([^&#\s"'<>]+)/gi;
const AUTH_PARAM_RE = /(customerAuthenticator=)([^&#\s"'<>]+)/gi;

/**
 * Replaces the value of every `ExpressPlayToken=` parameter in `text` with its
 * first 4 characters and `…[redacted]` (so log lines can still be told apart),
 * and every `customerAuthenticator=` value with `[redacted]`.
 */
export function redactTokens(text: string): string {
  return text
    .replace(TOKEN_PARAM_RE, (_m, key: string, value: string) => `${key}${value.slice(0, 4)}…[redacted]`)
    .replace(AUTH_PARAM_RE, (_m, key: string) => `${key}[redacted]`);
}
