// What the browser sends to the customer's token endpoint (docs/architecture.md,
// "The contract between the browser and the customer's back end"): the DRM, the
// app's content id, key ids, and what detection found (securityLevel, hdcp), so
// the back end can mint a token this device can honour.

import type { TokenClientOptions, TokenContext, TokenEndpointRequest } from './types/token-client.js';

export const TOKEN_ACCEPT = 'application/json, text/uri-list';

export interface EndpointHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** The context's fields, typed as the JSON body sends them; `extra` carries the development-only authenticator. */
function fieldsOf(context: TokenContext, extra: Record<string, string>): Record<string, unknown> {
  const fields: Record<string, unknown> = { drm: context.drm, contentId: context.contentId };
  if (context.kids && context.kids.length > 0) fields['kids'] = [...context.kids];
  if (context.securityLevel !== undefined) fields['securityLevel'] = context.securityLevel;
  if (context.hdcp !== undefined) fields['hdcp'] = context.hdcp;
  return { ...fields, ...extra };
}

/** The same fields as a query or form: numbers as text, key ids comma-separated (`String` of an array). */
function formOf(fields: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

function isRequestObject(value: string | TokenEndpointRequest): value is TokenEndpointRequest {
  return typeof value === 'object' && value !== null && typeof value.url === 'string';
}

/**
 * Resolves the endpoint for this context. A string (or a function returning a
 * URL) gets the standard fields as a query (GET) or body (POST form/JSON); a
 * function returning a complete request is sent as it is, headers merged.
 */
export async function buildEndpointRequest(
  options: TokenClientOptions,
  context: TokenContext,
  extra: Record<string, string> = {},
): Promise<EndpointHttpRequest> {
  const resolved = typeof options.endpoint === 'function' ? await options.endpoint(context) : options.endpoint;
  const appHeaders = typeof options.headers === 'function' ? options.headers(context) : (options.headers ?? {});
  const headers: Record<string, string> = { accept: TOKEN_ACCEPT, ...appHeaders };
  if (isRequestObject(resolved)) {
    return {
      url: resolved.url,
      method: resolved.method ?? 'GET',
      headers: { ...headers, ...resolved.headers },
      ...(resolved.body === undefined ? {} : { body: resolved.body }),
    };
  }
  const method = options.method ?? 'GET';
  const fields = fieldsOf(context, extra);
  if (method === 'GET')
    return { url: `${resolved}${resolved.includes('?') ? '&' : '?'}${formOf(fields)}`, method, headers };
  const json = options.bodyFormat === 'json';
  return {
    url: resolved,
    method,
    headers: { ...headers, 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(fields) : formOf(fields),
  };
}
