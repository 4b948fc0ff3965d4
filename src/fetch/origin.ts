// Who may ask this endpoint for a token from a browser. Same-origin by default;
// `allowedOrigins` names the other origins whose pages may call it (CORS). A
// browser request from anywhere else is refused before anything else runs: a
// cross-site page must not make a viewer's browser (with its cookies) spend
// the customer's tokens.

/** The origin part of the endpoint's options. */
export interface OriginPolicy {
  /** Origins (e.g. `https://app.example`) whose pages may call the endpoint; `'*'` for any. */
  allowedOrigins?: '*' | readonly string[];
  /** Send `Access-Control-Allow-Credentials: true` to allowed origins (cookies on cross-origin calls). */
  allowCredentials?: boolean;
}

/** The verdict: allowed with these CORS headers, or refused with a reason. */
export type OriginVerdict = { allowed: true; cors: Record<string, string> } | { allowed: false; reason: string };

/** The request's own origin, or undefined when its URL is not absolute. */
function ownOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Only header names: what a preflight may ask for is echoed, nothing else. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

function corsFor(
  origin: string,
  request: Request,
  policy: OriginPolicy,
  methods: readonly string[],
  expose: readonly string[],
): Record<string, string> {
  const headers: Record<string, string> = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (policy.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (expose.length) headers['access-control-expose-headers'] = expose.join(', ');
  if (request.method === 'OPTIONS') {
    headers['access-control-allow-methods'] = methods.join(', ');
    const asked = request.headers.get('access-control-request-headers') ?? '';
    headers['access-control-allow-headers'] =
      asked.length < 1000 && HEADER_LIST.test(asked) ? asked : 'content-type, accept';
    headers['access-control-max-age'] = '600';
  }
  return headers;
}

/**
 * The origin check. A request with an `Origin` is allowed when it is the endpoint's
 * own origin (by URL, or as the browser vouches with `Sec-Fetch-Site: same-origin`)
 * or listed in `allowedOrigins`; one without is allowed unless the browser says it is
 * `cross-site` or `same-site` (a sibling subdomain is another origin too). Requests
 * from non-browser clients carry neither header and pass: they carry no viewer's cookies.
 */
export function checkOrigin(
  request: Request,
  policy: OriginPolicy,
  methods: readonly string[],
  expose: readonly string[],
): OriginVerdict {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site')?.toLowerCase();
  const listed = policy.allowedOrigins;
  const vary: Record<string, string> = listed === undefined ? {} : { vary: 'Origin' };
  if (origin !== null) {
    if (listed === '*' || (listed !== undefined && listed.includes(origin)))
      return { allowed: true, cors: corsFor(origin, request, policy, methods, expose) };
    if (origin === ownOrigin(request.url) || site === 'same-origin') return { allowed: true, cors: vary };
    return { allowed: false, reason: `origin ${origin.slice(0, 100)} is not allowed` };
  }
  if (site === 'cross-site' || site === 'same-site')
    return { allowed: false, reason: `Sec-Fetch-Site: ${site} without an allowed Origin` };
  return { allowed: true, cors: vary };
}
