// dash.js license requests are routed by their key session, not by the load that is
// current when they come: a session dash.js opened for content B whose license request
// comes after the player moved on to content A is licensed with B's token, never A's;
// a session dash.js has closed gets nothing. Deterministic: the real dash.js player's
// event bus carries the events its manifest loader (`manifestLoadingStarted`) and
// protection model (`public_keySessionCreated`) trigger, and the adapter's registered
// license request filter is called as dash.js calls it. Real token endpoint and
// emulator; the emulator answers -4022 to B's key with A's token.
import { expect } from 'chai';
import type { LicenseRequest, MediaPlayerClass } from 'dashjs';
import { createTokenClient, type ExpressPlayEvent, type TokenClient } from '../../../src/index.js';
import { attachExpressPlay, type DashExpressPlay } from '../../../src/dashjs/index.js';
import { loadScript, resetEmulator, setFaults, testConfig } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { DASH_STREAMS } from './driver.js';

const [A, B] = DASH_STREAMS;
type DashNamespace = { MediaPlayer(): { create(): MediaPlayerClass } };
type Filter = (request: LicenseRequest) => Promise<void>;
type Trigger = (type: string, payload: object, filters: object) => void;

/** A ClearKey license request for `kid`, as dash.js hands it to the filter (its message, parsed). */
const requestFor = (kid: string, sessionId: string): LicenseRequest =>
  ({
    url: 'https://rights.expressplay.invalid/',
    method: 'POST',
    responseType: 'arraybuffer',
    headers: {},
    withCredentials: false,
    messageType: 'license-request',
    sessionId,
    data: { kids: [kid], type: 'temporary' },
  }) as unknown as LicenseRequest;

/** A dash.js session token of a real, open ClearKey key session. */
async function sessionToken(sessionId: string, kid: string): Promise<{ token: object; session: MediaKeySession }> {
  const access = await navigator.requestMediaKeySystemAccess('org.w3.clearkey', [
    { initDataTypes: ['keyids'], videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.42E01E"' }] },
  ]);
  const session = (await access.createMediaKeys()).createSession();
  await session.generateRequest('keyids', new TextEncoder().encode(JSON.stringify({ kids: [kid] })));
  const token = {
    session,
    initData: null,
    getSessionId: () => sessionId,
    getKeyStatuses: () => session.keyStatuses,
    getSessionType: () => 'temporary',
    getExpirationTime: () => NaN,
  };
  return { token, session };
}

for (const [name, script] of [
  ['dash.js 5.0', '/node_modules/dashjs-5.0/dist/modern/umd/dash.all.min.js'],
  ['dash.js 5.2', '/node_modules/dashjs/dist/modern/umd/dash.all.min.js'],
] as const) {
  describe(`${name} adapter: license requests routed by key session`, function () {
    this.timeout(30000);
    let player: MediaPlayerClass | undefined;
    let ep: DashExpressPlay | undefined;
    let client: TokenClient | undefined;
    const realFetch = window.fetch;
    let sent: Array<{ content: string | undefined; kids: string[] }>;
    let events: ExpressPlayEvent[];
    let filter: Filter;

    /** What the player's manifest loader and protection model trigger on its event bus. */
    const manifestLoading = (url: string) =>
      (player as unknown as { trigger: Trigger }).trigger('manifestLoadingStarted', { request: { url } }, {});
    const sessionCreated = (token: object) =>
      (player as unknown as { trigger: Trigger }).trigger('public_keySessionCreated', { data: token }, {});

    before(() => loadScript(script));
    beforeEach(async () => {
      await resetEmulator();
      await setFaults({ token: { latencyMs: 150 } });
      const tokenContent = new Map<string, string>();
      sent = [];
      events = [];
      client = createTokenClient({
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
      player = (window as unknown as { dashjs: DashNamespace }).dashjs.MediaPlayer().create();
      player.updateSettings({ debug: { logLevel: 0 } });
      // No media element: dash.js loads nothing itself; the test plays its events.
      player.initialize(undefined, undefined, false);
      for (const type of ['expressplay:license', 'expressplay:error'])
        player.on(type, (e: ExpressPlayEvent) => events.push(e));
      const register = player.registerLicenseRequestFilter.bind(player);
      player.registerLicenseRequestFilter = (f: Filter) => {
        filter = f;
        register(f);
      };
      ep = await attachExpressPlay(player, {
        token: client,
        contentId: (url) => DASH_STREAMS.find((s) => url.includes(`/${s.id}/`))?.id,
        detect: { includeClearKey: true },
      });
    });
    afterEach(async () => {
      window.fetch = realFetch;
      ep?.detach();
      player?.destroy();
      client?.dispose();
      await resetEmulator();
    });

    it("a request of B's session that comes under A's load is licensed with B's token: parked until B loads again", async () => {
      const b = await sessionToken('session-b', B.kid);
      const a = await sessionToken('session-a', A.kid);
      manifestLoading(B.url);
      sessionCreated(b.token);
      manifestLoading(A.url);
      sessionCreated(a.token);
      const late = filter(requestFor(B.kid, 'session-b')).then(() => B.kid); // B's session asks now, under A's load
      const request = requestFor(A.kid, 'session-a');
      await filter(request);
      expect(request.url, "dash.js's XHR reads A's license from memory").to.match(/^blob:/);
      await sleep(500);
      expect(sent, 'nothing sent for B under A').to.deep.equal([{ content: A.id, kids: [A.kid] }]);
      expect(events.map((e) => `${e.type}:${e.contentId}`)).to.deep.equal([`expressplay:license:${A.id}`]);

      manifestLoading(B.url); // B again: its parked request goes out with B's token
      expect(await late).to.equal(B.kid);
      expect(sent).to.deep.equal([
        { content: A.id, kids: [A.kid] },
        { content: B.id, kids: [B.kid] },
      ]);
      b.session.close().catch(() => undefined);
      a.session.close().catch(() => undefined);
    });

    it('a request of a session dash.js closed while it was parked is never sent, never settles, reports nothing', async () => {
      const a = await sessionToken('session-a', A.kid);
      manifestLoading(A.url);
      sessionCreated(a.token);
      let settled = false;
      void filter(requestFor(A.kid, 'session-a')).then(
        () => (settled = true),
        () => (settled = true),
      );
      manifestLoading(B.url); // A's load is left before its token arrives: A's request is parked
      await sleep(50);
      await a.session.close(); // dash.js closes the sessions of the source it left
      manifestLoading(A.url);
      await sleep(800);
      expect(sent, 'no license request for the closed session').to.deep.equal([]);
      expect(settled, 'the filter never settles for it').to.equal(false);
      expect(events, 'nothing reported').to.deep.equal([]);
    });
  });
}
