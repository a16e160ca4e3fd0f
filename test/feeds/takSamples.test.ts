// Real events from ATAK-CIV 3.12, WinTAK 1.10 and a TAK Server
// (test/fixtures/feeds/cot/tak-samples, with their provenance), their times
// moved to now as the devices would have sent them, sent to a core's CoT
// ports over UDP (one event per datagram) and TCP (back to back): every one
// is accepted and logged, none quarantined, whatever the device's dialect.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { checkPayload } from '../../electron/core/log/eventCatalogue';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { Site } from '../../shared/site';
import { feedPort, startSiteCore, tempDataDir, until } from '../helpers';
import { refreshTimes } from './takTimes';

const samplesDir = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
const samples = fs
  .readdirSync(samplesDir)
  .filter((name) => name.endsWith('.xml'))
  .sort()
  .map((name) => ({ name, xml: fs.readFileSync(path.join(samplesDir, name), 'utf8') }));

function testSite(): Site {
  return {
    version: 1,
    name: 'tak samples',
    escalateAfterSeconds: 120,
    coverageEtaMinutes: 15,
    listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 1000 },
    sensors: [{ id: 'RAD-1', kind: 'radar', name: 'Radar', position: [1.584, 50.8697], rangeMeters: 30000, heartbeatSeconds: 600 }],
    units: [{ id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'cot', uid: 'ANDROID-U01' } }],
  };
}

/** Expected log kind of each sample, by its file name. */
function expectedKind(name: string): string {
  if (name.startsWith('cotlib-geochat') || name.startsWith('fts-b-t-f')) return 'chat.received';
  if (name.startsWith('fts-b-m-p-s-m') || name.startsWith('fts-a-h-') || name.startsWith('fts-a-u-')) return 'field.point';
  // Two a-f-G files are points placed by WinTAK (a p-p link, no takv), not self-reports.
  if (/^fts-a-f-G-\d/.test(name)) return 'field.point';
  return 'device.report';
}

describe('real TAK samples over the CoT ports', () => {
  let core: RunningCore;
  before(async () => {
    const dir = tempDataDir();
    core = await startSiteCore(dir, testSite());
  });
  after(async () => core.stop());

  const port = (transport: string) => feedPort(core, 'CoT', transport);
  const logged = () => [...iterateEvents(core.db)].filter((e) => e.source.startsWith('cot:'));
  const quarantined = () => core.db.prepare('SELECT reason, detail FROM quarantine').all() as { reason: string; detail: string }[];

  test(`there are ${samples.length} samples, of every kind the issue names`, () => {
    assert.equal(samples.length, 45);
    const kinds = new Set(samples.map((s) => expectedKind(s.name)));
    assert.deepEqual([...kinds].sort(), ['chat.received', 'device.report', 'field.point']);
  });

  test('over UDP, one event per datagram: every one accepted and logged, none quarantined', async () => {
    const socket = dgram.createSocket('udp4');
    try {
      const before = logged().length;
      for (const sample of samples) {
        await new Promise<void>((resolve, reject) =>
          socket.send(Buffer.from(refreshTimes(sample.xml, Date.now())), port('udp'), '127.0.0.1', (error) => (error ? reject(error) : resolve())),
        );
      }
      await until(() => logged().length - before >= samples.length || quarantined().length > 0, 'every sample logged', 10_000);
      assert.deepEqual(quarantined(), [], 'nothing quarantined');
      const events = logged().slice(before);
      assert.equal(events.length, samples.length);
      const counts = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
      // UDP may reorder datagrams: compare the counts of each kind.
      assert.deepEqual(counts(events.map((e) => e.kind)), counts(samples.map((s) => expectedKind(s.name))));
      for (const event of events) assert.equal(checkPayload(event.kind, JSON.parse(event.payload)), undefined, `${event.kind} fits the catalogue`);
    } finally {
      socket.close();
    }
  });

  test('over TCP, all back to back in one stream (XML declarations between events): the same, in order', async () => {
    const before = logged().length;
    const stream = samples.map((s) => refreshTimes(s.xml, Date.now())).join('\n');
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(port('tcp'), '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    try {
      // In pieces that cut events anywhere, as TCP may deliver them.
      for (let at = 0; at < stream.length; at += 997) socket.write(stream.slice(at, at + 997));
      await until(() => logged().length - before >= samples.length, 'every sample logged from the stream', 10_000);
      assert.deepEqual(quarantined(), [], 'nothing quarantined');
      const events = logged().slice(before);
      assert.deepEqual(
        events.map((e) => e.kind),
        samples.map((s) => expectedKind(s.name)),
      );
    } finally {
      socket.destroy();
    }
  });

  test('what the log keeps: device, team, battery, takv, unread detail; who placed a point; the chat text', () => {
    const events = logged().map((e) => ({ kind: e.kind, source: e.source, p: JSON.parse(e.payload) as Record<string, unknown> }));
    const report = events.find((e) => e.kind === 'device.report' && e.p.uid === 'ANDROID-R52JB0CDC4E')!;
    assert.equal(report.source, 'cot:ANDROID-R52JB0CDC4E');
    assert.equal(report.p.cs, 'corvTab');
    assert.equal(report.p.team, 'Yellow');
    assert.equal(report.p.role, 'Team Member');
    assert.equal(report.p.bat, 53);
    assert.equal(report.p.plat, 'ATAK-CIV');
    assert.equal(report.p.model, 'SAMSUNG SM-T560NU');
    assert.equal(report.p.ver, '3.12.0-45691.45691-CIV');
    assert.equal(report.p.ty, 'a-f-G-U-C');
    // Detail Vigie does not read is kept, in the first report of the device (and again only when it changes).
    assert.match(String(report.p.x), /<precisionlocation geopointsrc="USER" altsrc="\?\?\?"\/>/);
    assert.match(String(report.p.x), /<uid Droid="corvTab"\/>/);
    const wintak = events.find((e) => e.kind === 'device.report' && e.p.plat === 'WinTAK-CIV')!;
    assert.equal(wintak.p.cs, 'Eliopoli HQ');
    assert.equal(wintak.p.role, 'HQ');

    const hostile = events.find((e) => e.kind === 'field.point' && e.p.ty === 'a-h-G')!;
    assert.equal(hostile.p.cat, 'atom');
    assert.equal(hostile.p.by, 'Eliopoli HQ');
    assert.equal(hostile.p.d, 'aa0b0312-b5cd-4c2c-bbbc-9c4c70216261');
    const marker = events.find((e) => e.kind === 'field.point' && e.p.ty === 'b-m-p-s-m')!;
    assert.equal(marker.p.cat, 'marker');
    assert.equal(marker.p.col, -256);
    assert.equal(marker.p.cs, 'Y 1');

    const chat = events.find((e) => e.kind === 'chat.received' && e.p.text === 'need supoort')!;
    assert.equal(chat.p.cs, 'corvTab');
    assert.equal(chat.p.room, 'Eliopoli HQ');
    const allRooms = events.filter((e) => e.kind === 'chat.received' && e.p.room === 'All Chat Rooms');
    assert.deepEqual([...new Set(allRooms.map((e) => e.p.cs))].sort(), ['ALPHA', 'BRAVO']);
  });

  test('still refused over the same ports: a DOCTYPE, an undeclared entity, an oversized event — and the stream goes on', async () => {
    const before = quarantined().length;
    const good = refreshTimes(samples.find((s) => s.name.startsWith('fts-a-f-G-U-C'))!.xml, Date.now());
    const doctype = `<!DOCTYPE event [<!ENTITY x "boom">]>${good.replace(/^<\?xml[^>]*\?>/, '')}`;
    const entity = good.replace("callsign='corvTab'", "callsign='&x;'");
    const oversized = good.replace('<detail>', `<detail><remarks>${'x'.repeat(70 * 1024)}</remarks>`);
    const udp = dgram.createSocket('udp4');
    try {
      for (const bad of [doctype, entity]) await new Promise((resolve) => udp.send(Buffer.from(bad), port('udp'), '127.0.0.1', resolve));
    } finally {
      udp.close();
    }
    // Over 64 KiB does not fit a datagram: the stream is where an oversized event can come.
    const logBefore = logged().length;
    const tcp = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(port('tcp'), '127.0.0.1', () => resolve(s));
    });
    tcp.write(oversized + good);
    await until(() => logged().length > logBefore, 'the event after the oversized one');
    tcp.destroy();
    const rows = await until(() => quarantined().length - before >= 3 && quarantined().slice(before), 'three refusals');
    assert.deepEqual(rows.map((r) => r.reason).sort(), ['bad-xml', 'bad-xml', 'oversized']);
    assert.ok(rows.some((r) => /DOCTYPE/.test(r.detail)));
    assert.ok(rows.some((r) => /entity/.test(r.detail)));
  });
});
