// Any TAK device appears: a real ATAK self-report (from the samples, its
// times moved to now) from a uid no unit has shows as an unregistered device;
// a supervisor registers it as a new unit in one logged action; that
// survives a restart of the core; the device's reports then move the unit,
// which can be dispatched and gets its tasking back down its CoT stream; a
// blocked device's messages are quarantined with that reason. A real core,
// real sockets, a real SQLite file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { DeviceView } from '../../shared/contract';
import type { Site } from '../../shared/site';
import { refreshTimes } from '../feeds/takTimes';
import { callAs, cameraSite, connectTcp, feedPort, startSiteCore, tempDataDir, until } from '../helpers';

const sample = fs.readFileSync(path.join(__dirname, '../fixtures/feeds/cot/tak-samples/fts-a-f-G-U-C-1581185452254.xml'), 'utf8');
/** The sample device (corvTab, ATAK-CIV on a Samsung tablet) moved onto the Côte d'Opale. */
function report(lat: number, lon: number): string {
  return refreshTimes(sample, Date.now()).replace(/lat='[^']*' lon='[^']*'/, `lat='${lat}' lon='${lon}'`);
}

function site(): Site {
  return cameraSite('devices', [{ id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } }]);
}

describe('field devices: appear, register, dispatch, block', () => {
  const dir = tempDataDir();
  const start = () => startSiteCore(dir, site());
  let core: RunningCore;
  const sockets: net.Socket[] = [];
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await core?.stop();
  });

  const port = (name: string, transport: string) => feedPort(core, name, transport);
  const call = <T>(method: string, params: object, role: 'supervisor' | 'operator' = 'supervisor') =>
    callAs<T>(core, method, params, role === 'supervisor' ? 'chef' : 'opérateur', role);
  async function stream(): Promise<{ socket: net.Socket; received: () => string }> {
    let received = '';
    const socket = await connectTcp(port('CoT', 'tcp'));
    socket.on('data', (chunk) => (received += chunk.toString()));
    sockets.push(socket);
    return { socket, received: () => received };
  }
  const events = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind);

  test('an unknown ATAK device appears, unregistered, with what it says of itself', async () => {
    core = await start();
    const { socket } = await stream();
    socket.write(report(50.95, 1.75));
    await until(() => core.devices.get('ANDROID-R52JB0CDC4E'), 'the device');
    const listed = (await call<{ devices: DeviceView[] }>('devices.list', {}, 'operator')).result.devices;
    assert.equal(listed.length, 1);
    const device = listed[0]!;
    assert.deepEqual(
      { ...device, time: null, stale: null },
      {
        id: 'ANDROID-R52JB0CDC4E',
        uid: 'ANDROID-R52JB0CDC4E',
        callsign: 'corvTab',
        team: 'Yellow',
        role: 'Team Member',
        battery: 53,
        platform: 'ATAK-CIV',
        model: 'SAMSUNG SM-T560NU',
        os: '25',
        version: '3.12.0-45691.45691-CIV',
        cotType: 'a-f-G-U-C',
        lat: 50.95,
        lon: 1.75,
        course: 0,
        speed: 0,
        time: null,
        stale: null,
        unit: null,
        blocked: null,
        emergency: null,
      },
    );
    // ATAK's own stale: 27 s after the report.
    assert.ok(Math.abs(device.stale! - device.time! - 27_000) < 1000, `${device.stale! - device.time!}`);
  });

  test('an operator may not register it; a supervisor registers it as a new unit in one logged action', async () => {
    const refused = await call('devices.register', { device: 'ANDROID-R52JB0CDC4E', create: { callsign: 'CORV 1', type: 'foot', crew: 2 } }, 'operator');
    assert.equal(refused.ok, false);
    assert.equal(refused.error!.reason, 'forbidden-for-role');
    const taken = await call('devices.register', { device: 'ANDROID-R52JB0CDC4E', create: { callsign: 'opale 01', type: 'foot', crew: 2 } });
    assert.equal(taken.error?.reason, 'callsign-taken');
    assert.equal((await call('devices.register', { device: 'NOBODY', unit: 'U01' })).error?.reason, 'device-unknown');

    const done = await call<{ unit: string; created: boolean }>('devices.register', {
      device: 'ANDROID-R52JB0CDC4E',
      create: { callsign: 'CORV 1', type: 'foot', crew: 2 },
    });
    assert.ok(done.ok);
    assert.deepEqual(done.result, { unit: 'TAK01', created: true });
    const unit = core.picture.units.get('TAK01')!;
    assert.deepEqual([unit.callsign, unit.type, unit.crew, unit.status], ['CORV 1', 'foot', 2, 'available']);
    const registered = events('device.registered').at(-1)!;
    assert.equal(registered.operator, 'chef');
    assert.deepEqual(JSON.parse(registered.payload), { d: 'ANDROID-R52JB0CDC4E', new: 1, u: 'TAK01', uid: 'ANDROID-R52JB0CDC4E' });
    assert.equal(events('site.unit').at(-1)!.operator, 'chef');
    assert.equal((await call('devices.register', { device: 'ANDROID-R52JB0CDC4E', unit: 'U01' })).error?.reason, 'device-already-registered');
  });

  test('the registration survives a restart; the device then moves its unit, is dispatched and gets its tasking back', async () => {
    await core.stop();
    core = await start();
    assert.equal(core.devices.get('ANDROID-R52JB0CDC4E')!.unit, 'TAK01');
    assert.equal(core.picture.units.get('TAK01')!.callsign, 'CORV 1');

    const device = await stream();
    device.socket.write(report(50.951, 1.751));
    await until(() => core.picture.units.get('TAK01')?.lat === 50.951, 'the unit moved by its device');
    assert.equal(events('unit.position').at(-1)!.source, 'cot:TAK01');

    // An alert from the camera, acknowledged into an incident, and the new unit sent to it.
    const camera = await connectTcp(port('JSON', 'tcp'));
    sockets.push(camera);
    camera.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.95, lon: 1.74, confidence: 0.8 })}\n`,
    );
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-2/D1'), 'the alert');
    const { result } = await call<{ incident: string }>('alert.acknowledge', { alert: alert.id }, 'operator');
    const sent = await call<{ delivered: boolean }>('dispatch.assign', { incident: result.incident, unit: 'TAK01' }, 'operator');
    assert.equal(sent.result.delivered, true);
    await until(() => device.received().includes('</event>'), 'the tasking down the device stream');
    assert.match(device.received(), /type="t-x-d"/);
    assert.match(device.received(), /<link uid="ANDROID-R52JB0CDC4E" relation="p-p"/);
    assert.match(device.received(), new RegExp(`incident="${result.incident}"`));
  });

  test('a blocked device: logged, its messages quarantined with that reason; unblocked, it reports again', async () => {
    const blocked = await call('devices.block', { device: 'ANDROID-R52JB0CDC4E', reason: 'téléphone perdu' });
    assert.ok(blocked.ok);
    assert.equal(events('device.blocked').at(-1)!.operator, 'chef');
    const { socket } = await stream();
    socket.write(report(50.96, 1.76));
    const row = await until(
      () => core.db.prepare("SELECT reason, detail FROM quarantine WHERE reason = 'blocked-device'").get() as { reason: string; detail: string } | undefined,
      'the quarantined report',
    );
    assert.match(row.detail, /ANDROID-R52JB0CDC4E is blocked: téléphone perdu/);
    assert.notEqual(core.picture.units.get('TAK01')!.lat, 50.96);

    assert.ok((await call('devices.unblock', { device: 'ANDROID-R52JB0CDC4E' })).ok);
    socket.write(report(50.962, 1.762));
    await until(() => core.picture.units.get('TAK01')?.lat === 50.962, 'the unit moved again');
  });
});
