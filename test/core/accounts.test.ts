// Accounts, sign-in, roles and shifts through the core's real API (HTTP on
// loopback, a real SQLite file), and `vigie user add` as a separate process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyPassword } from '../../electron/core/accounts/passwords';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import { TEST_PASSWORD, tempDataDir } from '../helpers';

const vigie = path.join(__dirname, '..', '..', 'bin', 'vigie.cjs');

describe('accounts, sign-in, roles and shifts', () => {
  const dir = tempDataDir();
  const dataDir = path.join(dir, 'data');
  const rendererDir = path.join(dir, 'renderer');
  let core: RunningCore;

  async function call<T = unknown>(
    method: string,
    params: object = {},
    session?: string,
  ): Promise<{ status: number; ok: boolean; result: T; error?: { code: string; message: string } }> {
    const headers: Record<string, string> = { authorization: `Bearer ${core.secret}`, 'content-type': 'application/json' };
    if (session) headers['x-vigie-session'] = session;
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
    const body = (await response.json()) as { ok: boolean; result: T; error?: { code: string; message: string } };
    return { status: response.status, ...body };
  }
  const signIn = (name: string, password = TEST_PASSWORD) =>
    call<{ session: string; name: string; role: string; shift: { id: number } }>('session.signIn', { name, password });
  const events = (kind: string) =>
    [...iterateEvents(core.db)].filter((event) => event.kind === kind).map((event) => ({ ...event, p: JSON.parse(event.payload) as Record<string, unknown> }));
  const start = async () => (core = await startCore({ dataDir, logger: silentLogger, rendererDir, feeds: false }));

  before(async () => {
    fs.mkdirSync(rendererDir, { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title>');
    await start();
  });
  after(() => core.stop());

  test('first run asks for the first supervisor; there is no default account, and only one first supervisor', async () => {
    assert.deepEqual((await call('setup.status')).result, { needsFirstSupervisor: true });
    assert.equal((await signIn('admin', 'admin')).status, 409);
    const weak = await call('setup.createSupervisor', { name: 'chief', password: 'short' });
    assert.equal(weak.status, 409);
    assert.match(weak.error!.message, /at least 10 characters/);
    assert.equal((await call('setup.createSupervisor', { name: 'chief', password: TEST_PASSWORD })).status, 200);
    assert.deepEqual((await call('setup.status')).result, { needsFirstSupervisor: false });
    const second = await call('setup.createSupervisor', { name: 'intruder', password: TEST_PASSWORD });
    assert.equal(second.status, 409);
    assert.deepEqual(
      events('operator.created').map((event) => event.p),
      [{ name: 'chief', role: 'supervisor', by: null }],
    );
  });

  test('vigie user add reads the password from stdin; the account signs in at once and its creation is logged by the core', async () => {
    // Asynchronous: the core runs in this process and keeps answering (its keep-alive sockets too) while the command runs.
    const add = (name: string, role: string, input: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [vigie, 'user', 'add', name, '--role', role, '--data', dataDir], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stderr }));
        child.stdin.end(input);
      });
    const ok = await add('marie', 'operator', `${TEST_PASSWORD}\n`);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal((await add('audit', 'auditor', `${TEST_PASSWORD}\n`)).status, 0);
    const badRole = await add('paul', 'admin', `${TEST_PASSWORD}\n`);
    assert.equal(badRole.status, 2);
    assert.match(badRole.stderr, /--role is operator, supervisor, auditor or display/);
    const again = await add('MARIE', 'operator', `${TEST_PASSWORD}\n`);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    const short = await add('jean', 'operator', 'tiny\n');
    assert.equal(short.status, 1);
    assert.match(short.stderr, /at least 10 characters/);
  });

  test('a wrong password is refused without saying which part was wrong, logged, and each retry waits longer', async () => {
    const unknown = await signIn('nobody');
    const wrong = await signIn('marie', 'not the password');
    assert.equal(unknown.status, 409);
    assert.equal(wrong.status, 409);
    assert.equal(unknown.error!.message, wrong.error!.message);
    const failed = events('session.failed').map((event) => event.p);
    assert.deepEqual(failed.slice(-2), [
      { name: 'nobody', reason: 'unknown-name' },
      { name: 'marie', reason: 'wrong-password' },
    ]);
    // The second failure for a name waits out the first one's delay (0.5 s) before it is even checked.
    const started = Date.now();
    assert.equal((await signIn('marie', 'still not it')).status, 409);
    assert.ok(Date.now() - started >= 450, `answered after ${Date.now() - started} ms`);
    // No password, right or wrong, nor any hash is ever in the log.
    const log = JSON.stringify([...iterateEvents(core.db)]);
    for (const secret of [TEST_PASSWORD, 'not the password', 'scrypt$']) assert.equal(log.includes(secret), false, secret);
  });

  test('a sign-in opens a shift, a second operator joins it; every action carries its operator', async () => {
    const chief = await signIn('chief');
    assert.equal(chief.status, 200);
    assert.equal(chief.result.role, 'supervisor');
    // Marie's earlier failures delay her first try.
    const marie = await signIn('marie');
    assert.equal(marie.status, 200);
    assert.equal(marie.result.shift.id, chief.result.shift.id);
    assert.deepEqual(
      events('shift.opened').map((event) => event.p),
      [{ shift: chief.result.shift.id, by: 'chief' }],
    );
    assert.equal((await call('console.setMute', { muted: true }, marie.result.session)).status, 200);
    assert.equal(events('console.muted').at(-1)!.operator, 'marie');
    const me = await call<{ name: string; role: string }>('session.current', {}, marie.result.session);
    assert.deepEqual([me.result.name, me.result.role], ['marie', 'operator']);
  });

  test('the core enforces roles: an auditor reads but cannot dispatch; an operator cannot add accounts', async () => {
    const audit = await signIn('audit');
    assert.equal((await call('picture.get', {}, audit.result.session)).status, 200);
    const denied = await call('alert.acknowledge', { alert: 'A000001' }, audit.result.session);
    assert.equal(denied.status, 403);
    assert.equal(denied.error!.code, 'forbidden');
    assert.equal((await call('console.setMute', { muted: false }, audit.result.session)).status, 403);
    assert.deepEqual(
      events('access.denied').map((event) => [event.operator, event.p.method]),
      [
        ['audit', 'alert.acknowledge'],
        ['audit', 'console.setMute'],
      ],
    );
    const marie = await signIn('marie');
    assert.equal((await call('user.add', { name: 'eve', role: 'supervisor', password: TEST_PASSWORD }, marie.result.session)).status, 403);
    const chief = await signIn('chief');
    const added = await call('user.add', { name: 'luc', role: 'operator', password: TEST_PASSWORD }, chief.result.session);
    assert.equal(added.status, 200);
    assert.deepEqual(events('operator.created').at(-1)!.p, { name: 'luc', role: 'operator', by: 'chief' });
    assert.equal(events('operator.created').at(-1)!.operator, 'chief');
  });

  test('an open shift survives a restart; closing it with a handover signs everyone out, and the next sign-in opens the next shift', async () => {
    const before = (await signIn('chief')).result.shift.id;
    await core.stop('restart test');
    await start();
    const marie = await signIn('marie');
    assert.equal(marie.result.shift.id, before, 'the same shift, still open');
    const chief = await signIn('chief');
    assert.equal((await call('shift.close', { handover: '   ' }, chief.result.session)).status, 400);
    const closed = await call<{ id: number; handover: string; closedBy: string; firstSeq: number; lastSeq: number }>(
      'shift.close',
      { handover: 'Quiet night; U07 off the road with a flat tyre.' },
      chief.result.session,
    );
    assert.equal(closed.status, 200);
    assert.equal(closed.result.handover, 'Quiet night; U07 off the road with a flat tyre.');
    assert.equal(closed.result.closedBy, 'chief');
    assert.ok(closed.result.firstSeq < closed.result.lastSeq);
    // Everyone on it must sign in again, into a new shift.
    assert.equal((await call('picture.get', {}, marie.result.session)).status, 401);
    const next = await signIn('marie');
    assert.equal(next.result.shift.id, before + 1);
    const list = await call<{ shifts: { id: number; closedAt: number | null }[] }>('shift.list', { limit: 10 }, next.result.session);
    assert.deepEqual(
      list.result.shifts.map((shift) => [shift.id, shift.closedAt === null]),
      [
        [before + 1, true],
        [before, false],
      ],
    );
  });

  test('a password hashed at an older scrypt cost is re-hashed at the current one by the next successful sign-in, not by a wrong one', async () => {
    // As an earlier Vigie stored it: N = 2^15, r = 8, p = 1.
    const salt = crypto.randomBytes(16);
    const key = crypto.scryptSync(TEST_PASSWORD, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 15, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    core.db
      .prepare('INSERT INTO operators (name, role, password, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
      .run('ancien', 'operator', old, Date.now(), null);
    const stored = () => (core.db.prepare('SELECT password FROM operators WHERE name = ?').get('ancien') as { password: string }).password;

    assert.equal((await signIn('ancien', 'not the password')).status, 409);
    assert.equal(stored(), old);
    assert.equal((await signIn('ancien')).status, 200);
    const upgraded = stored();
    assert.match(upgraded, /^scrypt\$17\$8\$1\$/);
    assert.equal(await verifyPassword(TEST_PASSWORD, upgraded), true);
    assert.equal(await verifyPassword('not the password', upgraded), false);
    // Once at the current cost, a sign-in leaves it as it is.
    assert.equal((await signIn('ancien')).status, 200);
    assert.equal(stored(), upgraded);
  });
});
