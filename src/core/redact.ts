// Tokens are bearer credentials: whoever holds a rights URL can redeem it. Every
// log line and error message passes through here. Names are matched as a server
// decodes them (`ExpressPlay%54oken=` is redeemed too): redacting is chosen over
// refusing such URLs because the text redacted here comes from everywhere (error
// pages, app-supplied URLs, thrown errors), where there is nothing to refuse.

import { AUTHENTICATOR_NAME, TOKEN_NAME } from './param-names.js';

const TOKEN_PARAM_RE = new RegExp(`(${TOKEN_NAME}=)([^&#\\s"'<>]+)`, 'gi');
const AUTH_PARAM_RE = new RegExp(`(${AUTHENTICATOR_NAME}=)([^&#\\s"'<>]+)`, 'gi');

/**
 * Replaces the value of every `ExpressPlayToken=` parameter in `text` with its
 * first 4 characters and `…[redacted]` (so log lines can still be told apart),
 * and every `customerAuthenticator=` value with `[redacted]`. Names match in any
 * letter case and with any character percent-encoded (`ExpressPlay%54oken=`).
 */
export function redactTokens(text: string): string {
  return text
    .replace(TOKEN_PARAM_RE, (_m, key: string, value: string) => `${key}${value.slice(0, 4)}…[redacted]`)
    .replace(AUTH_PARAM_RE, (_m, key: string) => `${key}[redacted]`);
}
