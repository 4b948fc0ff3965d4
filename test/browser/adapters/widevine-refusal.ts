// What the hls.js and dash.js Widevine tests assert once the emulator has refused the
// double's challenge with -9044 (it cannot mint a real Widevine license): one token
// request carrying L1 (securityLevel 5, hdcp 2), one session opened from the stream's
// own pssh, the challenge POSTed unchanged once, one typed error on the player, no
// license, no retry, one Widevine token minted.
import { expect } from 'chai';
import type { ExpressPlayError, ExpressPlayEvent } from '../../../src/index.js';
import type { DoubleEnvironment } from '../support/eme-doubles.js';
import type { RecordedFetch } from '../support/helpers.js';
import { emulatorStats, total } from '../support/page.js';

export interface WidevineRefusal {
  /** e.g. "hls.js 1.7". */
  player: string;
  /** Where the player reports errors, e.g. "hls.js's ERROR". */
  errorChannel: string;
  contentId: string;
  /** The pssh box the stream itself carries (playlist data: URI, MPD cenc:pssh). */
  pssh: Uint8Array;
  tokenEndpointUrl: string;
  emulatorUrl: string;
  calls: RecordedFetch[];
  doubles: DoubleEnvironment;
  playerErrors: ExpressPlayError[];
  otherErrors: readonly unknown[];
  events: ExpressPlayEvent[];
  unhandled: unknown[];
}

export async function expectWidevineRefusedOnce(r: WidevineRefusal): Promise<void> {
  const tokens = r.calls.filter((c) => c.url.startsWith(r.tokenEndpointUrl));
  expect(tokens, 'one token request').to.have.length(1);
  const q = new URL(tokens[0]!.url).searchParams;
  expect(q.get('drm')).to.equal('widevine');
  expect(q.get('securityLevel')).to.equal('5');
  expect(q.get('hdcp')).to.equal('2');
  expect(q.get('contentId')).to.equal(r.contentId);

  // One key, one session: opened with the stream's Widevine pssh as 'cenc' initData.
  expect(r.doubles.log.sessions, 'one session').to.have.length(1);
  const session = r.doubles.log.sessions[0]!;
  expect(session.initDataType).to.equal('cenc');
  expect([...session.initData!], "the stream's Widevine pssh").to.deep.equal([...r.pssh]);

  const rights = r.calls.filter((c) => c.url.startsWith(`${r.emulatorUrl}/hms/wv/rights/`));
  expect(rights, 'one license request: -9044 is a 4xx, not retried').to.have.length(1);
  const lic = rights[0]!;
  expect(lic.url.startsWith(`${r.emulatorUrl}/hms/wv/rights/?ExpressPlayToken=`), lic.url).to.equal(true);
  expect(lic.method).to.equal('POST');
  expect(lic.headers.get('content-type')).to.equal('application/octet-stream');
  expect([...lic.bytes!], 'the challenge the CDM produced, unchanged').to.deep.equal([...session.challenge!]);
  const answer = JSON.parse(new TextDecoder().decode(await lic.response!)) as { errorCode?: number };
  expect(answer.errorCode).to.equal(-9044);

  expect(r.playerErrors, `one typed error on ${r.errorChannel}`).to.have.length(1);
  const typed = r.playerErrors[0]!;
  expect(typed.code).to.equal(-9044);
  expect(typed.httpStatus).to.equal(400);
  expect(typed.retryable).to.equal(false);
  expect(typed.drm).to.equal('widevine');
  expect(r.events.filter((e) => e.type === 'expressplay:error').map((e) => e.error?.code)).to.deep.equal([-9044]);
  expect(r.events.map((e) => e.type)).not.to.include('expressplay:license');
  expect(r.doubles.log.updates, 'nothing reached update()').to.have.length(0);
  if (r.otherErrors.length)
    console.log(`${r.player} Widevine: the player's own errors ${JSON.stringify(r.otherErrors)}`);

  const stats = await emulatorStats();
  console.log(
    `${r.player} Widevine -9044: tokens ${JSON.stringify(stats.tokensIssued)}, license requests ${rights.length}, rights rejects ${stats.rejects.rights}`,
  );
  expect(stats.tokensIssued.widevine).to.equal(1);
  expect(total(stats.tokensIssued), 'no token of another DRM').to.equal(1);
  expect(total(stats.licensesServed)).to.equal(0);
  expect(stats.rejects.rights).to.equal(1);
  expect(r.unhandled).to.deep.equal([]);
}
