// Players that send license requests with their own XMLHttpRequest (hls.js,
// dash.js) and never retry a refused token: the adapter makes the request
// itself (refresh once, typed errors, abort), then points the player's XHR at
// an in-memory `blob:` URL holding the license, so the player takes the bytes
// as if its own request had fetched them. No network request is made twice.

/** The `blob:` URLs handed to a player, revoked once read (or all at once on detach). */
export class LicenseHandoff {
  readonly #urls = new Set<string>();

  /** A `blob:` URL that answers a GET with `bytes`. */
  create(bytes: Uint8Array, type = 'application/octet-stream'): string {
    const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
    this.#urls.add(url);
    return url;
  }

  /** Whether `url` is one of the live hand-off URLs. */
  has(url: string): boolean {
    return this.#urls.has(url);
  }

  /** Frees one URL (after the player read it). */
  revoke(url: string): void {
    if (this.#urls.delete(url)) URL.revokeObjectURL(url);
  }

  /** Frees every URL not yet read. */
  revokeAll(): void {
    for (const url of this.#urls) URL.revokeObjectURL(url);
    this.#urls.clear();
  }
}
