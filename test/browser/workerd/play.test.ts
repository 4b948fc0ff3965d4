// The token endpoint in Cloudflare's runtime: the README's Worker recipe runs in
// workerd (started by test/browser/support/servers.ts), a cross-origin endpoint
// for this page, and Shaka plays the CENC test stream through it in Chromium.
import { expect } from 'chai';
import { emulatorStats, playedPast, testConfig, total } from '../support/page.js';
import { usePlayerFixture } from '../shaka/helpers.js';

describe('token endpoint in workerd (Cloudflare Workers recipe)', function () {
  this.timeout(30000);
  const fx = usePlayerFixture();

  it('plays cenc-h264 with the token minted by the Worker', async () => {
    const { workerdTokenEndpointUrl } = await testConfig();
    expect(workerdTokenEndpointUrl, 'servers.ts started workerd').to.be.a('string');
    const handle = await fx.attach({
      token: { endpoint: workerdTokenEndpointUrl!, allowedRightsHosts: ['127.0.0.1'] },
    });
    expect(handle.support.drm).to.equal('clearkey');
    await fx.player.load('/test/media/cenc-h264/manifest.mpd');
    await fx.video.play();
    await playedPast(fx.video, 1);
    const stats = await emulatorStats();
    expect(stats.tokensIssued.widevine, 'tokens the Worker obtained from the emulator').to.equal(1);
    expect(total(stats.licensesServed)).to.be.greaterThanOrEqual(1);
  });

  // The page cannot read the refusal itself (403 -9062, asserted in test/node/runtimes/workerd.test.ts):
  // here, that such a page gets no token and nothing is minted.
  it('a page origin the Worker does not allow gets no token, and nothing is minted', async () => {
    const { workerdTokenEndpointUrl } = await testConfig();
    // A cross-origin fetch from this page carries its Origin; check the Worker's answer to a foreign one
    // through a sandboxed iframe (origin "null"), which a page cannot forge away.
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    const answer = new Promise<{ status: number; body: string }>((resolve) => {
      window.addEventListener('message', (e: MessageEvent) => resolve(e.data as { status: number; body: string }), {
        once: true,
      });
    });
    frame.srcdoc = `<script>fetch(${JSON.stringify(`${workerdTokenEndpointUrl}?drm=clearkey&contentId=cenc-h264`)}).then(async (r) => parent.postMessage({ status: r.status, body: await r.text() }, '*'), (e) => parent.postMessage({ status: 0, body: String(e) }, '*'));</script>`;
    document.body.appendChild(frame);
    try {
      const a = await answer;
      // No CORS for origin "null": the page sees a network error (status 0), never a token.
      expect(a.status).to.equal(0);
      const stats = await emulatorStats();
      expect(stats.tokensIssued.widevine).to.equal(0);
    } finally {
      frame.remove();
    }
  });
});
