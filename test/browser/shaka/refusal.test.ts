// A back end that refuses a viewer the README's way (`-9013` in the body, status 403)
// reaches the app through the Shaka adapter with the category a bare 403 has (`auth`),
// which is what the README tells apps to branch on. The refusal comes from the real
// reference token endpoint, relaying a refusal the emulator is told to answer.
import { expect } from 'chai';
import { errorForHttpStatus } from '../../../src/core/errors.js';
import { expressPlayErrorOf } from '../../../src/shaka/index.js';
import { setFaults } from '../support/page.js';
import { sleep } from '../support/helpers.js';
import { collectEvents, counts, fetches, firstError, usePlayerFixture } from './helpers.js';

describe('Shaka adapter: a viewer refused by the back end (-9013, 403)', function () {
  this.timeout(30000);
  const fx = usePlayerFixture();

  it('fails the load with -9013, status 403, category auth (as a bare 403), and no license request', async () => {
    await setFaults({ token: { failRate: 1, status: 403, code: -9013 } });
    const events = collectEvents(fx.player);
    await fx.attach();
    const before = fetches.length;
    const error = await firstError(fx.player, fx.player.load('/test/media/cenc-h264/manifest.mpd'));
    await sleep(500);
    const typed = expressPlayErrorOf(error);
    expect(typed, `typed error in ${JSON.stringify(error)}`).to.not.equal(undefined);
    expect(typed!.code).to.equal(-9013);
    expect(typed!.httpStatus).to.equal(403);
    expect(typed!.category).to.equal('auth');
    expect(typed!.category).to.equal(errorForHttpStatus(403).category);
    const reported = events.filter((e) => e.type === 'expressplay:error').map((e) => e.error);
    expect(reported.map((e) => [e?.code, e?.category])).to.deep.equal([[-9013, 'auth']]);
    const c = await counts(before);
    expect(c.token, 'a refusal is not retried').to.equal(1);
    expect(c.license).to.equal(0);
    expect(fx.unhandled).to.deep.equal([]);
  });
});
