// PlayReady's EME key message, unwrapped as a license server expects it.
import { expect } from 'chai';
import { playReadyRequest } from '../../../src/videojs/playready.js';

function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) new DataView(out.buffer).setUint16(2 * i, text.charCodeAt(i), true);
  return out;
}

describe('Video.js plugin: PlayReady key message', () => {
  it('sends the base64 challenge decoded, with the headers the CDM asked for', () => {
    const soap = '<soap:Envelope>challenge</soap:Envelope>';
    const message = utf16(
      `<PlayReadyKeyMessage type="LicenseAcquisition"><LicenseAcquisition Version="1"><Challenge encoding="base64encoded">${btoa(soap)}</Challenge>` +
        '<HttpHeaders><HttpHeader><name>Content-Type</name><value>text/xml; charset=utf-8</value></HttpHeader>' +
        '<HttpHeader><name>SOAPAction</name><value>"http://schemas.microsoft.com/DRM/2007/03/protocols/AcquireLicense"</value></HttpHeader></HttpHeaders>' +
        '</LicenseAcquisition></PlayReadyKeyMessage>',
    );
    const req = playReadyRequest(message.buffer as ArrayBuffer);
    expect(new TextDecoder().decode(req.body)).to.equal(soap);
    expect(req.contentType).to.equal('text/xml; charset=utf-8');
    expect(req.headers).to.deep.equal({
      soapaction: '"http://schemas.microsoft.com/DRM/2007/03/protocols/AcquireLicense"',
    });
  });

  it('sends a message that is not the wrapper as it is, as SOAP', () => {
    const raw = new TextEncoder().encode('<soap:Envelope>already a SOAP body');
    const req = playReadyRequest(raw);
    expect([...req.body]).to.deep.equal([...raw]);
    expect(req.contentType).to.equal('text/xml; charset=utf-8');
    expect(req.headers).to.have.property('soapaction');
  });
});
