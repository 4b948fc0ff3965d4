// Issue #11 item 5 (browser side): a rights URL whose token parameter name is
// percent-encoded (`ExpressPlay%54oken=`, which a server decodes and redeems) is
// redacted in log lines and in `expressplay:token` events like the literal one.
import { expect } from 'chai';
import { createTokenClient, type ExpressPlayEvent } from '../../../src/browser/index.js';

const SECRET = 'SECRETTOKENVALUE0123456789';

describe('security: redaction on decoded parameter names (token client)', () => {
  for (const name of ['ExpressPlay%54oken', 'expressplay%74oken', '%45%78%70%72%65%73%73%50%6c%61%79%54%6f%6b%65%6e']) {
    it(`${name}: not in logs or events`, async () => {
      const rightsUrl = `https://wv.service.expressplay.com/hms/wv/rights/?${name}=${SECRET}`;
      const fetch = (() =>
        Promise.resolve(
          new Response(JSON.stringify({ rightsUrl }), { status: 200, headers: { 'content-type': 'application/json' } }),
        )) as typeof globalThis.fetch;
      const lines: string[] = [];
      const record = (m: string, d?: unknown) => lines.push(m + JSON.stringify(d ?? ''));
      const events: ExpressPlayEvent[] = [];
      const client = createTokenClient({
        endpoint: 'https://app.test/token',
        fetch,
        preconnect: false,
        logger: { debug: record, info: record, warn: record, error: record },
        onEvent: (e) => events.push(e),
      });
      const info = await client.getRightsUrl({ drm: 'widevine', contentId: 'c' });
      expect(info.rightsUrl).to.equal(rightsUrl);
      expect(info.token).to.equal(SECRET);
      expect(events.length).to.be.above(0);
      expect(lines.length).to.be.above(0);
      for (const e of events) expect(JSON.stringify(e)).to.not.contain(SECRET.slice(4));
      for (const l of lines) expect(l).to.not.contain(SECRET.slice(4));
      client.dispose();
    });
  }
});
