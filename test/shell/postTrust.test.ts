// The desktop app as a seat (issue 15): which post certificate it trusts.
// Pinned on first use, a changed certificate refused with both fingerprints,
// the pin kept in post-pins.json; and the TLS probe against a real TLS 1.3
// server holding a real room certificate (electron/core/room/certificate.ts).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { describe, test } from 'node:test';
import { acceptCertificate, decideTrust, fingerprintOfDer, fingerprintOfPem, readPins, withoutPin, withPin, writePins } from '../../electron/main/postTrust';
import { probePostCertificate } from '../../electron/main/postProbe';
import { roomCertificate } from '../../electron/core/room/certificate';
import { normaliseFingerprint } from '../../shared/desktopSettings';
import { tempDataDir } from '../helpers';

const A = Array.from({ length: 32 }, () => 'AA').join(':');
const B = Array.from({ length: 32 }, () => 'BB').join(':');
const ADDRESS = '192.168.10.5:8443';
const NOW = new Date('2026-12-05T08:00:00Z');

describe('decideTrust', () => {
  test('first use without a fingerprint to compare: ask the operator', () => {
    assert.deepEqual(decideTrust([], ADDRESS, A), { verdict: 'ask', fingerprint: A });
  });

  test('first use with --fingerprint: pin it if it matches, refuse if not', () => {
    assert.deepEqual(decideTrust([], ADDRESS, A, A), { verdict: 'pin', fingerprint: A });
    assert.deepEqual(decideTrust([], ADDRESS, B, A), { verdict: 'unexpected', expected: A, presented: B });
  });

  test('the pinned certificate is trusted; another one is refused, naming both', () => {
    const pins = withPin([], ADDRESS, A, NOW);
    assert.deepEqual(decideTrust(pins, ADDRESS, A), { verdict: 'trusted', fingerprint: A });
    assert.deepEqual(decideTrust(pins, ADDRESS, B), { verdict: 'changed', pinned: A, presented: B });
  });

  test('a pin wins over --fingerprint: re-pinning means forgetting the pin first', () => {
    const pins = withPin([], ADDRESS, A, NOW);
    assert.deepEqual(decideTrust(pins, ADDRESS, B, B), { verdict: 'changed', pinned: A, presented: B });
  });

  test('pins are per HOST:PORT: the same host on another port is another post', () => {
    const pins = withPin([], ADDRESS, A, NOW);
    assert.equal(decideTrust(pins, '192.168.10.5:9443', B).verdict, 'ask');
  });

  test('withPin replaces a post’s pin, withoutPin forgets it', () => {
    const pins = withPin(withPin(withPin([], ADDRESS, A, NOW), 'post-b:8443', A, NOW), ADDRESS, B, NOW);
    assert.deepEqual(
      pins.map((pin) => [pin.address, pin.fingerprint]),
      [
        ['post-b:8443', A],
        [ADDRESS, B],
      ],
    );
    assert.equal(pins[1]!.pinnedAt, NOW.toISOString());
    assert.deepEqual(
      withoutPin(pins, ADDRESS).map((pin) => pin.address),
      ['post-b:8443'],
    );
  });
});

describe('fingerprints', () => {
  test('typed by hand: any case, spaces or no separators; anything else is null', () => {
    assert.equal(normaliseFingerprint(A.toLowerCase()), A);
    assert.equal(normaliseFingerprint(A.replace(/:/g, '')), A);
    assert.equal(normaliseFingerprint(A.replace(/:/g, ' ')), A);
    assert.equal(normaliseFingerprint(A.slice(3)), null);
    assert.equal(normaliseFingerprint(`${A}:CC`), null);
    assert.equal(normaliseFingerprint(A.replace('AA', 'ZZ')), null);
  });

  test('of a real room certificate: the same from DER and PEM as the core announces', async () => {
    const dir = tempDataDir();
    const certificate = await roomCertificate(dir, '127.0.0.2');
    const der = new X509Certificate(certificate.certPem).raw;
    assert.equal(fingerprintOfDer(der), certificate.fingerprint);
    assert.equal(fingerprintOfPem(certificate.certPem), certificate.fingerprint);
    assert.equal(fingerprintOfPem('not a certificate'), null);
  });

  test('acceptCertificate: only the pinned certificate, only for the post’s host', async () => {
    const dir = tempDataDir();
    const post = await roomCertificate(dir, '127.0.0.2');
    const other = await roomCertificate(tempDataDir(), '127.0.0.2');
    const pin = { host: '127.0.0.2', fingerprint: post.fingerprint };
    assert.equal(acceptCertificate(pin, '127.0.0.2', post.certPem), true);
    assert.equal(acceptCertificate(pin, '127.0.0.2', other.certPem), false, 'another certificate for the same host');
    assert.equal(acceptCertificate(pin, '127.0.0.3', post.certPem), false, 'the pinned certificate for another host');
    assert.equal(acceptCertificate({ host: '::1', fingerprint: post.fingerprint }, '[::1]', post.certPem), true, 'IPv6 with or without brackets');
  });
});

describe('post-pins.json', () => {
  test('missing is no pins; written and read back; written atomically', async () => {
    const file = path.join(tempDataDir(), 'post-pins.json');
    assert.deepEqual(await readPins(file), []);
    const pins = withPin([], ADDRESS, A, NOW);
    await writePins(file, pins);
    assert.deepEqual(await readPins(file), pins);
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)).filter((name) => name.includes('post-pins')),
      ['post-pins.json'],
    );
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  test('a damaged file is an error naming it, and is left as it is', async () => {
    const file = path.join(tempDataDir(), 'post-pins.json');
    for (const text of ['{', '{"pins": 3}', JSON.stringify({ pins: [{ address: ADDRESS, fingerprint: 'AA', pinnedAt: NOW.toISOString() }] })]) {
      fs.writeFileSync(file, text);
      await assert.rejects(readPins(file), (error: Error) => error.message.includes(file) && error.message.includes('damaged'));
      assert.equal(fs.readFileSync(file, 'utf8'), text);
    }
  });
});

describe('probePostCertificate', () => {
  test('reads the fingerprint of a real TLS 1.3 post; an unreachable post is an error', async () => {
    const certificate = await roomCertificate(tempDataDir(), '127.0.0.2');
    const server = tls.createServer({ key: certificate.keyPem, cert: certificate.certPem, minVersion: 'TLSv1.3' }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      assert.equal(await probePostCertificate({ host: '127.0.0.2', port }), certificate.fingerprint);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await assert.rejects(probePostCertificate({ host: '127.0.0.2', port }), /ECONNREFUSED/);
  });

  test('a server that never answers the handshake times out', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      await assert.rejects(probePostCertificate({ host: '127.0.0.1', port }, 300), /no TLS answer within 0.3 s/);
    } finally {
      silent.close();
    }
  });
});
