// Tokens are bearer credentials: whoever holds a rights URL can redeem it. Every
// log line and error message passes through here.

const TOKEN_PARAM_RE = /(ExpressPlayToken=)([^&#\s"'<>]+)/gi;
const AUTH_PARAM_RE = /(customerAuthenticator=)([^&#\s"'<>]+)/gi;

/** Keeps the first 4 characters of a token so log lines can still be told apart. */
export function redactTokens(text: string): string {
  return text
    .replace(TOKEN_PARAM_RE, (_m, key: string, value: string) => `${key}${value.slice(0, 4)}…[redacted]`)
    .replace(AUTH_PARAM_RE, (_m, key: string) => `${key}[redacted]`);
}
