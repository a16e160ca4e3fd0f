// Emergencies from field devices through a real core: an ATAK 911 from a
// unit's terminal raises one critical alert (ATAK repeats it), is never
// proposed for merging, shows on the unit's device; the device's cancel
// clears the alert and is logged with who cancelled. Every kind is read.
import assert from 'node:assert/strict';
import type net from 'node:net';
import { after, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { Site } from '../../shared/site';
import { callAs, cameraSite, connectTcp, feedPort, startSiteCore, tempDataDir, until } from '../helpers';

const site: Site = cameraSite('emergencies', [
  { id: 'U15', callsign: 'QUAD 15', type: 'quad', crew: 2, home: [1.8, 50.94], device: { protocol: 'cot', uid: 'ANDROID-U15' } },
]);

/** ATAK's emergency event for the unit's phone, as in test/fixtures/feeds/cot/emergency-911.xml, at this moment. */
function alarm(type: string, text: string, extra = ''): string {
  const now = new Date().toISOString();
  const stale = new Date(Date.now() + 600_000).toISOString();
  return `<event version="2.0" uid="ANDROID-U15-9-1-1" type="${type}" time="${now}" start="${now}" stale="${stale}" how="h-e"><point lat="50.9402" lon="1.8013" hae="9.0" ce="5.0" le="9999999.0"/><detail><link uid="ANDROID-U15" type="a-f-G-U-C" relation="p-p"/><contact callsign="QUAD 15-Alert"/><emergency type="${text}"${extra}>QUAD 15</emergency></detail></event>`;
}

describe('emergencies from field devices', () => {
  const dir = tempDataDir();
  let core: RunningCore;
  let socket: net.Socket;
  after(async () => {
    socket?.destroy();
    await core?.stop();
  });
  const events = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind);
  const emergencyAlerts = () => [...core.picture.alerts.values()].filter((a) => a.kind === 'emergency');

  test('a 911 raises one critical alert, never proposed for a merge; the unit shows it', async () => {
    core = await startSiteCore(dir, site);
    socket = await connectTcp(feedPort(core, 'CoT', 'tcp'));
    const call = <T>(method: string, params: object) => callAs<T>(core, method, params, 'opérateur', 'operator');
    // A camera alert nearby first: an incident the emergency could have been merged into.
    const json = await connectTcp(feedPort(core, 'JSON', 'tcp'));
    json.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.9403, lon: 1.8014, confidence: 0.8 })}\n`,
    );
    const camera = await until(() => [...core.picture.alerts.values()].find((a) => a.kind === 'group-on-beach'), 'the camera alert');
    assert.ok((await call('alert.acknowledge', { alert: camera.id })).ok);
    json.destroy();

    socket.write(alarm('b-a-o-tbl', '911 Alert'));
    socket.write(alarm('b-a-o-tbl', '911 Alert')); // ATAK repeats it
    const [alert] = await until(() => emergencyAlerts().length > 0 && emergencyAlerts(), 'the emergency alert');
    await until(() => events('emergency.raised').length === 2, 'both repeats logged');
    assert.equal(emergencyAlerts().length, 1);
    assert.equal(alert!.severity, 'critical');
    assert.equal(alert!.sensor, 'U15');
    const raised = JSON.parse(events('emergency.raised')[0]!.payload) as Record<string, unknown>;
    assert.deepEqual([raised.kind, raised.u, raised.cs, raised.d], ['911', 'U15', 'QUAD 15', 'ANDROID-U15']);
    const candidates = await call<{ candidates: unknown[] }>('alert.mergeCandidates', { alert: alert!.id });
    assert.deepEqual(candidates.result.candidates, []);
    const device = core.devices.get('ANDROID-U15')!;
    assert.equal(device.emergency?.kind, '911');
    assert.equal(device.emergency?.unit, 'U15');
  });

  test('the cancel clears the alert and is logged with who cancelled; a new emergency raises again', async () => {
    socket.write(alarm('b-a-o-can', '911 Alert', ' cancel="true"'));
    await until(() => emergencyAlerts().every((a) => a.status === 'closed'), 'the alert cleared');
    const cancelled = events('emergency.cancelled').at(-1)!;
    assert.deepEqual(JSON.parse(cancelled.payload), { by: 'QUAD 15', d: 'ANDROID-U15', e: 'ANDROID-U15-9-1-1', u: 'U15', uid: 'ANDROID-U15' });
    assert.equal(core.devices.get('ANDROID-U15')!.emergency, null);

    for (const [type, kind] of [
      ['b-a-o-pan', 'ring-the-bell'],
      ['b-a-o-opn', 'troops-in-contact'],
      ['b-a-g', 'geofence-breach'],
    ] as const) {
      socket.write(alarm(type, kind));
      await until(() => core.devices.get('ANDROID-U15')!.emergency?.kind === kind, kind);
      socket.write(alarm('b-a-o-can', kind, ' cancel="true"'));
      await until(() => core.devices.get('ANDROID-U15')!.emergency === null, `${kind} cancelled`);
    }
    assert.equal(events('alert.raised').filter((e) => (JSON.parse(e.payload) as { kind: string }).kind === 'emergency').length, 4);
  });
});
