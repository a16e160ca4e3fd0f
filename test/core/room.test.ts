// The control room's address (issue 15): TLS 1.3 with the post's own
// certificate (kept across restarts, the fingerprint seats pin), seats that a
// supervisor admits by their code, sessions bound to their seat and address,
// revocation, and the front door's refusals. Real HTTPS on 127.0.0.2.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/logger';
import { roomCertificate, RoomCertificateError } from '../../electron/core/room/certificate';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { TEST_PASSWORD, roomCall, signInHeaders, tempDataDir, type RoomAnswer as Answer } from '../helpers';
import { Accounts } from '../../electron/core/accounts/accounts';

const ROOM_HOST = '127.0.0.2';

async function startRoomCore(dataDir: string, renewCertificate = false): Promise<RunningCore> {
  return startCore({ dataDir, logger: silentLogger, feeds: false, room: { host: ROOM_HOST, port: 0, renewCertificate } });
}

describe('the room address', () => {
  test('serves TLS 1.3 only, with the certificate whose fingerprint it announces, kept across restarts', async () => {
    const dataDir = tempDataDir();
    let core = await startRoomCore(dataDir);
    try {
      assert.match(core.room!.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.equal(core.room!.url, `https://${ROOM_HOST}:${core.room!.port}/`);
      const seen = await new Promise<{ fingerprint: string; protocol: string | null }>((resolve, reject) => {
        const socket = tls.connect({ host: ROOM_HOST, port: core.room!.port, rejectUnauthorized: false }, () => {
          resolve({ fingerprint: socket.getPeerCertificate().fingerprint256, protocol: socket.getProtocol() });
          socket.end();
        });
        socket.on('error', reject);
      });
      assert.deepEqual(seen, { fingerprint: core.room!.fingerprint, protocol: 'TLSv1.3' });
      // TLS 1.2 is refused.
      await assert.rejects(
        new Promise((resolve, reject) => {
          const socket = tls.connect({ host: ROOM_HOST, port: core.room!.port, rejectUnauthorized: false, maxVersion: 'TLSv1.2' }, () => resolve(socket));
          socket.on('error', reject);
        }),
      );
      // Plain HTTP on the room port serves no console.
      const plain = await fetch(`http://${ROOM_HOST}:${core.room!.port}/`).then(
        (response) => response.status,
        () => 'refused',
      );
      assert.equal(plain, 'refused');
    } finally {
      await core.stop();
    }
    const first = core.room!.fingerprint;
    core = await startRoomCore(dataDir);
    const kept = core.room!.fingerprint;
    await core.stop();
    assert.equal(kept, first, 'the same certificate after a restart');
    core = await startRoomCore(dataDir, true);
    const renewed = core.room!.fingerprint;
    await core.stop();
    assert.notEqual(renewed, first, 'renewed on request');
  });

  test('a damaged certificate file stops the start with a clear message, and is not replaced', async () => {
    const dataDir = tempDataDir();
    await (await startRoomCore(dataDir)).stop();
    const file = path.join(dataDir, 'room', 'room-tls.pem');
    const damaged = fs.readFileSync(file, 'utf8').replace(/(BEGIN CERTIFICATE-----\n)(.{20})/, '$1AAAAAAAAAAAAAAAAAAAA');
    fs.writeFileSync(file, damaged);
    await assert.rejects(
      startRoomCore(dataDir),
      (error: unknown) => error instanceof RoomCertificateError && /damaged.*--renew-certificate/s.test(error.message),
    );
    assert.equal(fs.readFileSync(file, 'utf8'), damaged, 'left as it was, for whoever investigates');
    await assert.rejects(roomCertificate(dataDir, ROOM_HOST), RoomCertificateError);
  });

  test('a seat is admitted once by its code; before that it reaches nothing operational; its session is bound to it; revoked, it is out', async () => {
    const dataDir = tempDataDir();
    const core = await startRoomCore(dataDir);
    try {
      await new Accounts(core.db).add('marie', 'operator', TEST_PASSWORD, null);
      const supervisor = await signInHeaders(core, 'chef', 'supervisor');
      const local = (method: string, params: unknown = {}) =>
        fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers: supervisor, body: JSON.stringify(params) }).then(
          (response) => response.json() as Promise<Answer['body']>,
        );

      // Without credentials: 401 for everything but asking to join.
      for (const method of ['picture.get', 'session.signIn', 'feeds.listeners', 'seat.status', 'setup.status']) {
        const answer = await roomCall(core, method, method === 'session.signIn' ? { name: 'marie', password: TEST_PASSWORD } : {});
        assert.equal(answer.status, 401, method);
        assert.equal(answer.body.error?.reason, 'seat-unknown', method);
      }
      // The wrong Host (DNS rebinding) is refused before anything else.
      assert.equal((await roomCall(core, 'seat.request', {}, { host: `localhost:${core.room!.port}` })).status, 421);

      const asked = await roomCall(core, 'seat.request', { label: 'Chromium, desk 2' });
      assert.equal(asked.status, 200);
      const { token, code, seat } = asked.body.result as { token: string; code: string; seat: string };
      assert.match(code, /^[0-9A-Z]{3}-[0-9A-Z]{3}$/);

      // Pending: its own state, nothing else.
      assert.deepEqual((await roomCall(core, 'seat.status', {}, { seatToken: token })).body.result, { seat, code, state: 'pending' });
      const early = await roomCall(core, 'session.signIn', { name: 'marie', password: TEST_PASSWORD }, { seatToken: token });
      assert.equal(early.status, 403);
      assert.deepEqual([early.body.error?.reason, early.body.error?.params], ['seat-not-admitted', { code }]);
      assert.equal((await roomCall(core, 'picture.get', {}, { seatToken: token })).status, 403);

      // The supervisor (at the post's own console) sees it waiting and admits its code; a second approval changes nothing.
      const listed = (await local('seat.list')).result as { seats: { id: string; state: string; label: string }[] };
      assert.deepEqual(
        listed.seats.map(({ id, state, label }) => ({ id, state, label })),
        [{ id: seat, state: 'pending', label: 'Chromium, desk 2' }],
      );
      assert.equal(((await local('seat.admit', { code: 'zzz-zzz' })) as Answer['body']).error?.reason, 'seat-code-unknown');
      assert.equal(((await local('seat.admit', { code: code.toLowerCase() })).result as { state: string }).state, 'admitted');
      assert.equal(((await local('seat.admit', { code })).result as { admittedBy: string }).admittedBy, 'chef');

      // Admitted: sign-in works there, and the session works only there.
      const signedIn = await roomCall(core, 'session.signIn', { name: 'marie', password: TEST_PASSWORD }, { seatToken: token });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      const session = (signedIn.body.result as { session: string }).session;
      assert.equal((await roomCall(core, 'picture.get', {}, { seatToken: token, session })).status, 200);
      const elsewhere = await roomCall(core, 'picture.get', {}, { seatToken: token, session, from: '127.0.0.3' });
      assert.deepEqual([elsewhere.status, elsewhere.body.error?.reason], [401, 'session-elsewhere']);
      const atPost = await fetch(`http://127.0.0.1:${core.port}/api/picture.get`, {
        method: 'POST',
        headers: { authorization: `Bearer ${core.secret}`, 'x-vigie-session': session },
        body: '{}',
      });
      assert.equal(atPost.status, 401, 'a seat session used at the post console');
      const who = (await local('seat.list')).result as { seats: { signedIn: { name: string }[] }[] };
      assert.deepEqual(who.seats[0]!.signedIn, [{ name: 'marie', role: 'operator' }]);

      // Revoked: the token and the session are worth nothing.
      assert.equal(((await local('seat.revoke', { seat })).result as { state: string }).state, 'revoked');
      const after = await roomCall(core, 'picture.get', {}, { seatToken: token, session });
      assert.deepEqual([after.status, after.body.error?.reason], [401, 'seat-revoked']);

      const kinds = [...iterateEvents(core.db)].map((event) => `${event.kind}${event.operator ? `:${event.operator}` : ''}`);
      for (const expected of ['seat.requested', 'seat.admitted:chef', 'session.signedIn:marie', 'seat.revoked:chef', 'session.signedOut:marie'])
        assert.ok(kinds.includes(expected), `${expected} logged`);
      const refused = [...iterateEvents(core.db)].filter((event) => event.kind === 'security.refused').map((event) => JSON.parse(event.payload).reason);
      assert.ok(refused.includes('seat') && refused.includes('session-elsewhere') && refused.includes('host'), refused.join());
    } finally {
      await core.stop();
    }
  });

  test('asking to join is bounded per address', async () => {
    const core = await startRoomCore(tempDataDir());
    try {
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await roomCall(core, 'seat.request', {}));
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200, 200, 200, 200, 409],
      );
      assert.equal(answers[5]!.body.error?.reason, 'seat-requests-exhausted');
      // Another address still may.
      assert.equal((await roomCall(core, 'seat.request', {}, { from: '127.0.0.4' })).status, 200);
    } finally {
      await core.stop();
    }
  });
});
