// Every window of the desktop app (the console, its pop-outs, the Settings
// window) gets the same hardened webPreferences, and window.open() may open
// only the two pop-out panels (issue 15 item 6) on the console's own origin.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { originKey, popoutRequest, secureWebPreferences } from '../../electron/main/windowPreferences';

describe('secureWebPreferences', () => {
  test('isolated, sandboxed, no Node, no webview, web security on, whatever the preload', () => {
    for (const preload of ['/app/preload.cjs', '/app/settingsPreload.cjs']) {
      const prefs = secureWebPreferences({ preload, devTools: false });
      assert.deepEqual(prefs, {
        preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
        webviewTag: false,
        spellcheck: false,
        devTools: false,
      });
      assert.equal('enableBlinkFeatures' in prefs, false);
    }
    assert.equal(secureWebPreferences({ preload: '/p', devTools: true }).devTools, true);
  });
});

describe('originKey', () => {
  test('exact scheme, host and port; userinfo and other schemes refused', () => {
    assert.equal(originKey('http://127.0.0.1:4100/#popout=queue'), 'http://127.0.0.1:4100');
    assert.equal(originKey('wss://192.168.10.5:8443/ws'), 'wss://192.168.10.5:8443');
    assert.equal(originKey('vigie://settings/index.html'), 'vigie://settings');
    assert.equal(originKey('https://[::1]:8443/'), 'https://[::1]:8443');
    assert.equal(originKey('http://127.0.0.1:4100@evil.example/'), undefined);
    assert.equal(originKey('file:///etc/passwd'), undefined);
    assert.equal(originKey('javascript:alert(1)'), undefined);
    assert.equal(originKey('not a url'), undefined);
  });
});

describe('popoutRequest', () => {
  const origin = 'https://192.168.10.5:8443';
  test('the two panels, on the console’s origin', () => {
    assert.equal(popoutRequest(`${origin}/#popout=queue`, origin), 'queue');
    assert.equal(popoutRequest(`${origin}/#popout=incident`, origin), 'incident');
    assert.equal(popoutRequest('http://127.0.0.1:4100/#popout=queue', 'http://127.0.0.1:4100'), 'queue');
  });

  test('everything else is denied', () => {
    for (const url of [
      `${origin}/`,
      `${origin}/#popout=map`,
      `${origin}/#popout=queue&x=1`,
      `${origin}/other#popout=queue`,
      `${origin}/?next=evil#popout=queue`,
      'https://192.168.10.5:9443/#popout=queue',
      'http://192.168.10.5:8443/#popout=queue',
      'https://evil.example/#popout=queue',
      `https://192.168.10.5:8443@evil.example/#popout=queue`,
      'about:blank',
      'file:///#popout=queue',
    ]) {
      assert.equal(popoutRequest(url, origin), null, url);
    }
    assert.equal(popoutRequest(`${origin}/#popout=queue`, undefined), null, 'no console yet');
  });
});
