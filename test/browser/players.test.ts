// The player builds this run loads are the ones it claims: the newest
// devDependencies normally, the oldest peerDependencies versions in the matrix
// run (test/browser/support/players.ts). Guards the matrix against silently
// testing the newest builds twice.
import { expect } from 'chai';
import { loadShaka } from './shaka/helpers.js';
import { loadVideojs } from './videojs/helpers.js';
import { players } from './support/players.js';

async function packageVersion(name: string): Promise<string> {
  const res = await fetch(`/node_modules/${name}/package.json`);
  return ((await res.json()) as { version: string }).version;
}

describe(`player builds (${players.shaka}, ${players.videojs}, ${players.contribEme})`, () => {
  it('Shaka Player is the version of its package', async () => {
    const shaka = await loadShaka();
    const version = await packageVersion(players.shaka);
    // Shaka's version string is `v<semver>-uncompiled` or `v<semver>`.
    expect(shaka.Player.version.replace(/^v/, '').split('-')[0]).to.equal(version);
  });

  it('Video.js and videojs-contrib-eme are the versions of their packages', async () => {
    const videojs = await loadVideojs();
    expect((videojs as unknown as { VERSION: string }).VERSION).to.equal(await packageVersion(players.videojs));
    const eme = videojs.getPlugin('eme') as unknown as { VERSION: string };
    expect(eme.VERSION).to.equal(await packageVersion(players.contribEme));
  });
});
