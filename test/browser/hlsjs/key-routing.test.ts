// A key session hls.js opens for content B after the player moved on to content A
// (rapid switching: hls.js may open it, and ask for its license, after the next
// `loadSource()`) is licensed with B's token, never A's. Deterministic: the real
// hls.js instance is told that B's fragment asks for its key (the KEY_LOADING event
// its stream controller triggers), the source changes to A, then hls.js's
// `licenseXhrSetup` hook is called for B's key session, as hls.js calls it.
// Real token endpoint and emulator; the emulator answers -4022 to B's key with A's token.
import { expect } from 'chai';
import type Hls from 'hls.js';
import type { Events } from 'hls.js';
import { base64ToBytes } from '../../../src/core/index.js';
import { createTokenClient, type ExpressPlayEvent } from '../../../src/index.js';
import { attachExpressPlay, type HlsExpressPlay } from '../../../src/hlsjs/index.js';
import { loadScript, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { HLS_STREAMS } from './driver.js';

const [A, B] = HLS_STREAMS;
type XhrSetup = (xhr: XMLHttpRequest, url: string, keyContext: unknown, challenge: Uint8Array) => Promise<void>;

/** A ClearKey license request for `kid`, as the CDM makes it. */
const challengeFor = (kid: string) => new TextEncoder().encode(JSON.stringify({ kids: [kid], type: 'temporary' }));

for (const [name, script] of [
  ['hls.js 1.5', '/node_modules/hls.js-1.5/dist/hls.min.js'],
  ['hls.js 1.7', '/node_modules/hls.js/dist/hls.min.js'],
] as const) {
  describe(`${name} adapter: a key session outliving its load`, function () {
    this.timeout(30000);
    let HlsClass: typeof Hls;
    let hls: Hls | undefined;
    let ep: HlsExpressPlay | undefined;
    const realFetch = window.fetch;

    before(async () => {
      await loadScript(script);
      HlsClass = (window as unknown as { Hls: typeof Hls }).Hls;
    });
    afterEach(async () => {
      window.fetch = realFetch;
      ep?.detach();
      hls?.destroy();
      await resetEmulator();
    });

    it("is licensed with its own content's token, never the current load's: parked until B loads again", async () => {
      await resetEmulator();
      await setFaults({ token: { latencyMs: 150 } });
      const tokenContent = new Map<string, string>();
      const sent: Array<{ content: string | undefined; kids: string[] }> = [];
      const client = createTokenClient({
        endpoint: (await testConfig()).tokenEndpointUrl,
        allowedRightsHosts: ['127.0.0.1'],
        preconnect: false,
        fetch: async (input, init) => {
          const res = await realFetch(input, init);
          const contentId = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('contentId');
          if (res.ok && contentId)
            tokenContent.set(
              new URL(((await res.clone().json()) as { rightsUrl: string }).rightsUrl).searchParams.get(
                'ExpressPlayToken',
              )!,
              contentId,
            );
          return res;
        },
      });
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (/\/hms\/wv\/rights\//.test(url) && init?.body instanceof Uint8Array) {
          const kids = (JSON.parse(new TextDecoder().decode(init.body)) as { kids: string[] }).kids;
          sent.push({ content: tokenContent.get(new URL(url).searchParams.get('ExpressPlayToken') ?? ''), kids });
        }
        return realFetch.call(window, input, init);
      };
      hls = new HlsClass({ debug: false });
      const events: ExpressPlayEvent[] = [];
      for (const type of ['expressplay:license', 'expressplay:error'])
        (hls as unknown as { on(t: string, f: (n: string, e: ExpressPlayEvent) => void): void }).on(type, (_n, e) =>
          events.push(e),
        );
      ep = await attachExpressPlay(hls, {
        token: client,
        contentId: (url) => HLS_STREAMS.find((s) => url.includes(`/${s.id}/`))?.id,
        detect: { includeClearKey: true },
      });
      const setup = hls.config.licenseXhrSetup as unknown as XhrSetup;
      const keyContext = (kid: string) => ({ decryptdata: { keyId: base64ToBytes(kid), uri: `data:,${kid}` } });
      const licensed = (kid: string) =>
        setup
          .call(hls, new XMLHttpRequest(), 'https://rights.expressplay.invalid/', keyContext(kid), challengeFor(kid))
          .then(() => kid);

      hls.loadSource(B.url);
      hls.trigger(
        'hlsKeyLoading' as Events.KEY_LOADING,
        { frag: { decryptdata: keyContext(B.kid).decryptdata } } as never,
      );
      hls.loadSource(A.url);
      const late = licensed(B.kid); // B's key session asks now, under A's load
      expect(await licensed(A.kid)).to.equal(A.kid);
      await sleep(500);
      expect(sent, 'nothing sent for B under A').to.deep.equal([{ content: A.id, kids: [A.kid] }]);
      expect(events.map((e) => `${e.type}:${e.contentId}`)).to.deep.equal([`expressplay:license:${A.id}`]);

      hls.loadSource(B.url); // B again: its parked request goes out with B's token
      expect(await late).to.equal(B.kid);
      expect(sent).to.deep.equal([
        { content: A.id, kids: [A.kid] },
        { content: B.id, kids: [B.kid] },
      ]);
      client.dispose();
    });

    it('a key session hls.js closed while its license was parked gets nothing: no request, XHR never opened, no error', async () => {
      await resetEmulator();
      await setFaults({ token: { latencyMs: 150 } });
      const sent: string[][] = [];
      window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (/\/hms\/wv\/rights\//.test(url) && init?.body instanceof Uint8Array)
          sent.push((JSON.parse(new TextDecoder().decode(init.body)) as { kids: string[] }).kids);
        return realFetch.call(window, input, init);
      };
      hls = new HlsClass({ debug: false });
      const errors: unknown[] = [];
      hls.on(HlsClass.Events.ERROR, (_n, data) => errors.push(data.error ?? data.details));
      ep = await attachExpressPlay(hls, {
        token: {
          endpoint: (await testConfig()).tokenEndpointUrl,
          allowedRightsHosts: ['127.0.0.1'],
          preconnect: false,
        },
        contentId: (url) => HLS_STREAMS.find((s) => url.includes(`/${s.id}/`))?.id,
        detect: { includeClearKey: true },
      });
      const setup = hls.config.licenseXhrSetup as unknown as XhrSetup;
      // A real key session, in the shape hls.js 1.7 hands it over: `keyRequests` is shared with
      // its own context, and removing the session clears the key's entry, then closes it.
      const access = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [
        { initDataTypes: ['keyids'], videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] },
      ]);
      const session = (await access.createMediaKeys()).createSession();
      await session.generateRequest('keyids', challengeFor(A.kid));
      const uri = `data:,${A.kid}`;
      const keyRequests: Record<string, object | undefined> = { [uri]: {} };
      const keyContext = { mediaKeysSession: session, keyRequests, decryptdata: { keyId: base64ToBytes(A.kid), uri } };

      hls.loadSource(A.url);
      hls.trigger('hlsKeyLoading' as Events.KEY_LOADING, { frag: { decryptdata: keyContext.decryptdata } } as never);
      hls.loadSource(B.url); // A's load is left before its token arrives: A's request is parked
      const xhr = new XMLHttpRequest();
      let settled = false;
      void setup.call(hls, xhr, 'https://rights.expressplay.invalid/', keyContext, challengeFor(A.kid)).then(
        () => (settled = true),
        () => (settled = true),
      );
      await sleep(50);
      keyRequests[uri] = undefined; // hls.js removes the session (it left A), then closes it
      await session.close();
      hls.loadSource(A.url); // A again: a new session of hls.js's would ask; the closed one must not
      await sleep(800);
      expect(sent, 'no license request for the closed session').to.deep.equal([]);
      expect(xhr.readyState, "hls.js's XHR never opened").to.equal(XMLHttpRequest.UNSENT);
      expect(settled, 'licenseXhrSetup never settles for it').to.equal(false);
      expect(errors, 'no error').to.deep.equal([]);
    });
  });
}
