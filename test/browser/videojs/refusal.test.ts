// A back end that refuses a viewer the README's way (`-9013` in the body, status 403)
// reaches the app through the Video.js plugin with the category a bare 403 has
// (`auth`), in the typed error and in player.error().metadata. The refusal comes from
// the real reference token endpoint, relaying a refusal the emulator is told to answer.
import { expect } from 'chai';
import { errorForHttpStatus, isExpressPlayError, type ExpressPlayError } from '../../../src/core/errors.js';
import { setFaults } from '../support/page.js';
import { counts, playUntilError, useVideoJsFixture } from './helpers.js';

describe('Video.js plugin: a viewer refused by the back end (-9013, 403)', () => {
  const fixture = useVideoJsFixture();

  it('fails with -9013, status 403, category auth (as a bare 403), in the error and its metadata', async function () {
    this.timeout(30000);
    await setFaults({ token: { failRate: 1, status: 403, code: -9013 } });
    const { events, error: err } = await playUntilError(500);
    expect(isExpressPlayError(err.expressplay)).to.equal(true);
    const ours = err.expressplay as ExpressPlayError;
    expect(ours.code).to.equal(-9013);
    expect(ours.httpStatus).to.equal(403);
    expect(ours.category).to.equal('auth');
    expect(ours.category).to.equal(errorForHttpStatus(403).category);
    expect(err.metadata).to.include({ errorType: 'expressplay', code: -9013, category: 'auth' });
    const reported = events.filter((e) => e.type === 'expressplay:error').map((e) => e.error);
    expect(reported.length).to.be.at.least(1);
    expect(reported.every((e) => e?.code === -9013 && e.category === 'auth')).to.equal(true);
    const c = await counts();
    expect(c, JSON.stringify(c)).to.deep.include({ tokensIssued: 0, licensesServed: 0 });
    expect(fixture.unhandled).to.deep.equal([]);
  });
});
