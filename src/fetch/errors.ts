// Turning anything thrown into the answer's status and text: shared by the
// Web-standard token endpoint and the node:http servers.

import { ClientCode, ExpressPlayError, catalogEntry } from '../core/index.js';

/** The HTTP status for an error: the one it carries, else the catalog's, else 500. */
export function statusOf(err: ExpressPlayError): number {
  const s = err.httpStatus ?? catalogEntry(err.code)?.httpStatus ?? 0;
  return s >= 400 && s <= 599 ? s : 500;
}

/** Any thrown value as an ExpressPlayError (unexpected ones become -9015, no internals leaked). */
export function toExpressPlayError(err: unknown): ExpressPlayError {
  if (err instanceof ExpressPlayError) return err;
  return new ExpressPlayError(ClientCode.SERVER, { details: 'internal error', httpStatus: 500 });
}

/** The message without the "[code] " prefix the error class adds. */
export function plainMessage(err: ExpressPlayError): string {
  return err.message.replace(/^\[-?\d+\]\s*/, '');
}
