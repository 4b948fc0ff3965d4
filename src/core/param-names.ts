// Parameter names as a server decodes them. A form decoder turns `ExpressPlay%54oken`
// into `ExpressPlayToken` (the emulator redeems it, and so may any server), so
// anything that looks for the token or the authenticator in a URL or a log line
// must match every percent-encoded spelling of the name, not only the literal one.

/**
 * A RegExp source matching `name` with any of its characters percent-encoded (either
 * case of hex, either case of letter: use it with the `i` flag). Linear: each
 * character is a choice between fixed strings that start differently.
 */
export function encodedNamePattern(name: string): string {
  return [...name]
    .map((c) => {
      const spellings = new Set([
        c,
        `%${c.toLowerCase().charCodeAt(0).toString(16)}`,
        `%${c.toUpperCase().charCodeAt(0).toString(16)}`,
      ]);
      return `(?:${[...spellings].join('|')})`;
    })
    .join('');
}

/** `ExpressPlayToken`, however encoded. */
export const TOKEN_NAME = encodedNamePattern('ExpressPlayToken');
/** `customerAuthenticator`, however encoded. */
export const AUTHENTICATOR_NAME = encodedNamePattern('customerAuthenticator');
