import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTokenRequest } from '../../../src/core/index.js';

describe('smoke', () => {
  it('builds a GET', () => {
    const r = buildTokenRequest('widevine', { customerAuthenticator: 'k', kid: '00'.repeat(16), securityLevel: 1, hdcpOutputControl: 0 }, { method: 'GET' });
    assert.match(r.url, /^https:\/\/wv-gen\.test\.expressplay\.com\/hms\/wv\/token\?customerAuthenticator=k&kid=0+&securityLevel=1&hdcpOutputControl=0$/);
  });
});
