// PlayReady's EME key message is not the license request itself: it is UTF-16 XML
// wrapping the base64 SOAP challenge and the HTTP headers to send it with. Shaka
// unwraps it internally; with contrib-eme and our own getLicense, we must.

import { base64ToBytes } from '../core/encoding.js';

export interface PlayReadyRequest {
  body: Uint8Array;
  contentType: string;
  headers: Record<string, string>;
}

const SOAP_HEADERS = { soapaction: '"http://schemas.microsoft.com/DRM/2007/03/protocols/AcquireLicense"' };

export function playReadyRequest(message: ArrayBuffer | Uint8Array): PlayReadyRequest {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  const xml = new DOMParser().parseFromString(new TextDecoder('utf-16le').decode(bytes), 'application/xml');
  const challenge = xml.getElementsByTagName('Challenge')[0]?.textContent?.trim();
  // Not the wrapper (some CDMs hand over the SOAP body itself): send it as it is.
  if (xml.querySelector('parsererror') || !challenge)
    return { body: bytes, contentType: 'text/xml; charset=utf-8', headers: { ...SOAP_HEADERS } };
  const headers: Record<string, string> = {};
  const names = xml.getElementsByTagName('name');
  const values = xml.getElementsByTagName('value');
  for (let i = 0; i < names.length; i++)
    headers[(names[i]!.textContent ?? '').trim().toLowerCase()] = (values[i]?.textContent ?? '').trim();
  // requestLicense sets content-type itself; a second spelling in `headers` would be joined to it.
  const contentType = headers['content-type'] ?? 'text/xml; charset=utf-8';
  delete headers['content-type'];
  return { body: base64ToBytes(challenge), contentType, headers };
}
