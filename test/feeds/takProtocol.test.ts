// TAK Protocol version 1 (protobuf): every real sample round-trips XML →
// TakMessage → XML to the same feed messages; mesh datagrams and stream
// frames reach a real core over UDP and TCP and are read like XML; bad input
// (a malformed frame, a 2 GB length, a 1 MB chat, a 10 KB uid, markup in a
// chat) is quarantined with its reason, or kept as text, and the stream goes on.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { parseCotEvent } from '../../electron/core/feeds/cot/parseCotEvent';
import type { FeedMessage } from '../../electron/core/feeds/feedMessage';
import { meshFrame, meshPayload, streamFrame, takToXml, xmlToTak } from '../../electron/core/feeds/tak/takProtocol';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { Site } from '../../shared/site';
import { callAs, cameraSite, connectTcp, feedPort, startSiteCore, tempDataDir, until } from '../helpers';
import { refreshTimes } from './takTimes';

const samplesDir = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
const samples = fs
  .readdirSync(samplesDir)
  .filter((name) => name.endsWith('.xml'))
  .map((name) => ({ name, xml: fs.readFileSync(path.join(samplesDir, name), 'utf8') }));

const site: Site = cameraSite('tak protocol', [
  { id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.63, 50.86], device: { protocol: 'cot', uid: 'ANDROID-U02' } },
]);

/** Unread detail is kept whatever the order the protobuf form gives its elements: compare it as a sorted list of elements. */
function comparable(messages: FeedMessage[]): unknown[] {
  return messages.map((message) =>
    'extra' in message && message.extra !== undefined
      ? { ...message, extra: (message.extra.match(/<[^/][^>]*?\/>|<([\w:.-]+)[^>]*>.*?<\/\1>/g) ?? []).sort() }
      : message,
  );
}

describe('TAK Protocol v1: XML ↔ protobuf', () => {
  test('every real sample round-trips to the same feed messages', () => {
    for (const sample of samples) {
      const xml = refreshTimes(sample.xml, Date.parse('2026-01-01T00:00:00Z'));
      const now = Date.parse('2026-01-01T00:00:01Z');
      const direct = parseCotEvent(xml, { ...site, units: [] }, now);
      const decoded = takToXml(xmlToTak(xml));
      assert.ok(decoded.ok, sample.name);
      const viaProtobuf = parseCotEvent(decoded.xml, { ...site, units: [] }, now);
      assert.ok(direct.ok && viaProtobuf.ok, `${sample.name}: ${JSON.stringify(viaProtobuf)}`);
      assert.deepEqual(comparable(viaProtobuf.messages), comparable(direct.messages), sample.name);
    }
  });

  test('the typed detail messages carry what ATAK puts in them', () => {
    const xml = refreshTimes(samples.find((s) => s.name.startsWith('fts-a-f-G-U-C'))!.xml, Date.now());
    const decoded = takToXml(xmlToTak(xml));
    assert.ok(decoded.ok);
    assert.match(decoded.xml, /<contact endpoint="192.168.1.9:4242:tcp" callsign="corvTab"\/>/);
    assert.match(decoded.xml, /<__group name="Yellow" role="Team Member"\/>/);
    assert.match(decoded.xml, /<status battery="53"\/>/);
    assert.match(decoded.xml, /<takv device="SAMSUNG SM-T560NU" platform="ATAK-CIV" os="25" version="3.12.0-45691.45691-CIV"\/>/);
    assert.match(decoded.xml, /<uid Droid="corvTab"\/>/, 'the rest travels as xmlDetail');
  });

  test('malformed input is refused with a reason', () => {
    const bad = takToXml(Buffer.from([0x12, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.deepEqual([bad.ok, !bad.ok && bad.reason], [false, 'bad-protobuf']);
    const control = takToXml(Buffer.from([0x0a, 0x02, 0x08, 0x01])); // a TakControl alone
    assert.deepEqual([control.ok, !control.ok && control.reason], [false, 'unsupported']);
    assert.deepEqual(meshPayload(Buffer.from([0xbf, 0x02, 0xbf, 0x12, 0x00])).ok, false);
  });
});

describe('TAK Protocol v1 over a core’s sockets', () => {
  let core: RunningCore;
  const udp = dgram.createSocket('udp4');
  let stream: net.Socket;
  before(async () => {
    const dir = tempDataDir();
    core = await startSiteCore(dir, site);
    stream = await connectTcp(port('tcp'));
  });
  after(async () => {
    udp.close();
    stream.destroy();
    await core.stop();
  });
  const port = (transport: string) => feedPort(core, 'CoT', transport);
  const logged = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind).map((e) => JSON.parse(e.payload) as Record<string, unknown>);
  const quarantined = () =>
    core.db.prepare('SELECT reason, detail, raw FROM quarantine ORDER BY id').all() as { reason: string; detail: string; raw: Buffer }[];
  const sample = (prefix: string) => refreshTimes(samples.find((s) => s.name.startsWith(prefix))!.xml, Date.now());

  test('a mesh datagram and stream frames are read like XML: the device, its point, its chat', async () => {
    udp.send(meshFrame(xmlToTak(sample('fts-a-f-G-U-C'))), port('udp'), '127.0.0.1');
    await until(() => core.devices.get('ANDROID-R52JB0CDC4E'), 'the device from a mesh datagram');
    stream.write(Buffer.concat([streamFrame(xmlToTak(sample('fts-a-h-G'))), streamFrame(xmlToTak(sample('fts-b-t-f')))]));
    await until(() => logged('chat.received').length === 1 && logged('field.point').length === 1, 'the point and the chat from the stream');
    assert.equal(logged('chat.received')[0]!.text, 'need supoort');
    assert.deepEqual(quarantined(), []);
  });

  test('bad input: quarantined with the reason, shown as text; the stream goes on', async () => {
    const chat = sample('fts-b-t-f');
    // A malformed frame: its length is right, its content is not a TakMessage.
    stream.write(streamFrame(Buffer.from([0x12, 0xff, 0xff, 0xff, 0x0f, 0x01])));
    // A 10 KB uid, and markup in a chat (kept, as text).
    stream.write(streamFrame(xmlToTak(chat.replace(/uid='GeoChat[^']*'/, `uid='${'u'.repeat(10_000)}'`))));
    stream.write(streamFrame(xmlToTak(chat.replace('need supoort', '&lt;script&gt;alert(1)&lt;/script&gt;').replace(/a379f777/g, 'b379f777'))));
    // A 1 MB chat: over the 64 KiB cap, reported oversized by its length, skipped whole.
    const huge = streamFrame(xmlToTak(chat.replace('need supoort', 'x'.repeat(1 << 20)).replace(/a379f777/g, 'c379f777')));
    stream.write(huge);
    // A 2 GB length: reported, and the rest of the stream read from the next XML event.
    stream.write(Buffer.from([0xbf, 0x80, 0x80, 0x80, 0x80, 0x08, 0x0a, 0x0b]));
    stream.write(sample('fts-b-m-p-s-m'));
    await until(() => logged('field.point').length === 2, 'the XML marker after the 2 GB header');
    const reasons = quarantined().map((q) => q.reason);
    assert.deepEqual(reasons, ['bad-protobuf', 'bad-schema', 'oversized', 'oversized']);
    assert.match(quarantined()[1]!.detail, /uid is longer than 256/);
    const markup = logged('chat.received').find((c) => String(c.m).startsWith('b379f777'))!;
    assert.equal(markup.text, '<script>alert(1)</script>');
    assert.ok(!stream.destroyed, 'the connection stays open');
  });

  test('a unit whose phone speaks protobuf gets its tasking back as protobuf on its stream', async () => {
    const phone = await connectTcp(port('tcp'));
    let received = Buffer.alloc(0);
    phone.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const pli = sample('fts-a-f-G-U-C')
      .replace(/ANDROID-R52JB0CDC4E/g, 'ANDROID-U02')
      .replace(/lat='[^']*' lon='[^']*'/, "lat='50.87' lon='1.64'");
    phone.write(streamFrame(xmlToTak(pli)));
    await until(() => core.picture.units.get('U02')?.lat === 50.87, 'the unit moved by its protobuf report');
    const json = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(core.feeds!.listeners.find((l) => l.name.startsWith('JSON') && l.transport === 'tcp')!.port, '127.0.0.1', () => resolve(s));
    });
    json.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.95, lon: 1.74, confidence: 0.8 })}\n`,
    );
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.kind === 'group-on-beach'), 'the alert');
    json.destroy();
    const post = async (method: string, params: object) => callAs<{ incident: string; delivered: boolean }>(core, method, params);
    const { incident } = (await post('alert.acknowledge', { alert: alert.id })).result;
    assert.equal((await post('dispatch.assign', { incident, unit: 'U02' })).result.delivered, true);
    await until(() => received.length > 3, 'the tasking on the phone stream');
    assert.equal(received[0], 0xbf, 'a TAK Protocol v1 stream frame, not XML');
    const [header] = [received.subarray(0, 3)];
    const length = (header[1]! & 0x7f) + (header[1]! & 0x80 ? header[2]! * 128 : 0);
    const body = received.subarray(header[1]! & 0x80 ? 3 : 2);
    await until(() => body.length >= length || received.length >= length + 3, 'the whole frame');
    const decoded = takToXml(received.subarray(received.length - length));
    assert.ok(decoded.ok);
    assert.match(decoded.xml, /type="t-x-d"/);
    assert.match(decoded.xml, new RegExp(`incident="${incident}"`));
    phone.destroy();
  });
});
