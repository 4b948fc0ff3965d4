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

/** The context as flat fields; `extra` carries the development-only authenticator. */
export function contextFields(context: TokenContext, extra: Record<string, string> = {}): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['drm', context.drm],
    ['contentId', context.contentId],
  ];
  if (context.kids && context.kids.length > 0) fields.push(['kids', context.kids.join(',')]);
  if (context.securityLevel !== undefined) fields.push(['securityLevel', String(context.securityLevel)]);
  if (context.hdcp !== undefined) fields.push(['hdcp', String(context.hdcp)]);
  for (const [k, v] of Object.entries(extra)) fields.push([k, v]);
  return fields;
}

function jsonBody(context: TokenContext, extra: Record<string, string>): string {
  const body: Record<string, unknown> = { drm: context.drm, contentId: context.contentId };
  if (context.kids && context.kids.length > 0) body['kids'] = [...context.kids];
  if (context.securityLevel !== undefined) body['securityLevel'] = context.securityLevel;
  if (context.hdcp !== undefined) body['hdcp'] = context.hdcp;
  return JSON.stringify({ ...body, ...extra });
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
  if (method === 'GET') {
    const query = new URLSearchParams(contextFields(context, extra)).toString();
    return { url: `${resolved}${resolved.includes('?') ? '&' : '?'}${query}`, method, headers };
  }
  if (options.bodyFormat === 'json') {
    return {
      url: resolved,
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: jsonBody(context, extra),
    };
  }
  return {
    url: resolved,
    method,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(contextFields(context, extra)).toString(),
  };
}
