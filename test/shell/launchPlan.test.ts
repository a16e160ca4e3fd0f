// What the desktop app does at start (issue 15): its own post, open to the
// room or not, or a seat joining a post — from --join/--fingerprint/--room or
// from desktop-settings.json, the command line winning. And the settings
// file: defaults when missing, refused when damaged, checked before saving.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { argValue, commandLineOverride, launchPlan, LaunchArgumentError, readSettings, writeSettings } from '../../electron/main/launchPlan';
import { DEFAULT_SETTINGS, type DesktopSettings } from '../../shared/desktopSettings';
import { tempDataDir } from '../helpers';

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
const main = ['/usr/bin/electron', 'dist/electron/main.cjs'];
const joinSettings: DesktopSettings = { mode: 'join', room: null, join: { address: '192.168.10.5:8443', fingerprint: FP } };

describe('launchPlan', () => {
  test('no flags, no settings: the own post, loopback only', () => {
    assert.deepEqual(launchPlan(main, DEFAULT_SETTINGS), { mode: 'own', room: null });
  });

  test('--join HOST:PORT, with or without --fingerprint (either spelling, any case)', () => {
    assert.deepEqual(launchPlan([...main, '--join', '192.168.10.5:8443'], DEFAULT_SETTINGS), {
      mode: 'join',
      post: { host: '192.168.10.5', port: 8443 },
      address: '192.168.10.5:8443',
      fingerprint: null,
    });
    const plan = launchPlan([...main, '--join=[::1]:8443', `--fingerprint=${FP.toLowerCase().replace(/:/g, '')}`], DEFAULT_SETTINGS);
    assert.deepEqual(plan, { mode: 'join', post: { host: '::1', port: 8443 }, address: '[::1]:8443', fingerprint: FP });
  });

  test('--room HOST:PORT: the own post, open to the room', () => {
    assert.deepEqual(launchPlan([...main, '--room', '10.0.0.2:8443'], DEFAULT_SETTINGS), { mode: 'own', room: { host: '10.0.0.2', port: 8443 } });
  });

  test('the saved settings, when the command line says nothing', () => {
    assert.deepEqual(launchPlan(main, joinSettings), {
      mode: 'join',
      post: { host: '192.168.10.5', port: 8443 },
      address: '192.168.10.5:8443',
      fingerprint: FP,
    });
    assert.deepEqual(launchPlan(main, { mode: 'own', room: 'post.local:8443', join: null }), { mode: 'own', room: { host: 'post.local', port: 8443 } });
  });

  test('the command line wins over the settings; --demo runs the demo post', () => {
    assert.deepEqual(launchPlan([...main, '--room', '10.0.0.2:8443'], joinSettings), { mode: 'own', room: { host: '10.0.0.2', port: 8443 } });
    assert.deepEqual(launchPlan([...main, '--demo'], joinSettings), { mode: 'own', room: null });
    assert.equal(launchPlan([...main, '--demo', '--join', 'post:8443'], DEFAULT_SETTINGS).mode, 'join');
  });

  test('refused in one sentence: bad addresses, bad fingerprints, flags that do not go together', () => {
    const refusals: [string[], RegExp][] = [
      [['--join'], /--join is HOST:PORT/],
      [['--join', '--fingerprint', FP], /--join is HOST:PORT.*"--fingerprint"/],
      [['--join', 'post'], /--join is HOST:PORT/],
      [['--join', 'post:0'], /--join is HOST:PORT/],
      [['--join', 'post:70000'], /--join is HOST:PORT/],
      [['--join', 'evil@post:8443'], /--join is HOST:PORT/],
      [['--join', 'post:8443', '--fingerprint', 'AA:BB'], /--fingerprint is the 32-byte SHA-256/],
      [['--join', 'post:8443', '--fingerprint'], /--fingerprint is the 32-byte SHA-256/],
      [['--fingerprint', FP], /--fingerprint goes with --join/],
      [['--join', 'post:8443', '--room', '10.0.0.2:8443'], /cannot go together/],
      [['--join', 'post:8443', '--port', '8080'], /--port is the port of this machine’s own post/],
      [['--room', '10.0.0.2'], /--room is HOST:PORT/],
    ];
    for (const [args, message] of refusals) {
      assert.throws(
        () => launchPlan([...main, ...args], DEFAULT_SETTINGS),
        (error: Error) => error instanceof LaunchArgumentError && message.test(error.message),
        args.join(' '),
      );
    }
  });

  test('argValue and the override the Settings window shows', () => {
    assert.equal(argValue(['--data', '/tmp/x'], '--data'), '/tmp/x');
    assert.equal(argValue(['--data=/tmp/x'], '--data'), '/tmp/x');
    assert.equal(argValue([], '--data'), undefined);
    assert.equal(commandLineOverride(main), null);
    assert.equal(commandLineOverride([...main, '--join', 'post:8443', '--fingerprint', FP]), `--join post:8443 --fingerprint ${FP}`);
  });
});

describe('desktop-settings.json', () => {
  test('missing: the defaults; saved and read back', async () => {
    const file = path.join(tempDataDir(), 'desktop-settings.json');
    assert.deepEqual(await readSettings(file), DEFAULT_SETTINGS);
    assert.deepEqual(await writeSettings(file, joinSettings), { saved: true });
    assert.deepEqual(await readSettings(file), joinSettings);
  });

  test('what the page sends is checked before anything is written', async () => {
    const file = path.join(tempDataDir(), 'desktop-settings.json');
    const refused = [
      { mode: 'join', room: null, join: null },
      { mode: 'join', room: null, join: { address: 'post', fingerprint: null } },
      { mode: 'join', room: null, join: { address: 'post:8443', fingerprint: 'aa:bb' } },
      { mode: 'own', room: 'nowhere', join: null },
      { mode: 'own', room: null, join: null, preload: '/tmp/evil.js' },
      'own',
    ];
    for (const candidate of refused) {
      const result = await writeSettings(file, candidate);
      assert.equal(result.saved, false, JSON.stringify(candidate));
      assert.ok(!result.saved && result.problem.length > 0);
    }
    assert.equal(fs.existsSync(file), false);
  });

  test('a damaged file is an error naming it, never replaced by the defaults', async () => {
    const file = path.join(tempDataDir(), 'desktop-settings.json');
    fs.writeFileSync(file, '{"mode": "own"');
    await assert.rejects(readSettings(file), (error: Error) => error.message.includes(file) && /not JSON/.test(error.message));
    fs.writeFileSync(file, JSON.stringify({ mode: 'sideways', room: null, join: null }));
    await assert.rejects(readSettings(file), (error: Error) => error.message.includes(file) && error.message.includes('mode'));
  });
});
