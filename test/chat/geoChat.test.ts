// GeoChat both ways through a real core: real TCP clients act as ATAK devices
// (a real captured self-report first, one in XML, one in TAK protocol v1
// streaming); an operator writes to one device, a team and All Chat Rooms;
// each device's socket receives the GeoChat in the format it spoke; a device
// answers with a read receipt, which shows as read; a message linked to an
// incident travels in its evidence; replay shows messages at their time; the
// refusals say why. Real sockets, a real SQLite file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { buildEvidence, verifyEvidence } from '../../electron/core/evidence/evidence';
import { parseCotEvent } from '../../electron/core/feeds/cot/parseCotEvent';
import { CotStreamFramer } from '../../electron/core/feeds/framing/cotStreamFramer';
import { streamFrame, takToXml, xmlToTak } from '../../electron/core/feeds/tak/takProtocol';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { ChatMessageView } from '../../shared/contract';
import type { Site } from '../../shared/site';
import { refreshTimes } from '../feeds/takTimes';
import { callAs, cameraSite, connectTcp, feedPort, startSiteCore, tempDataDir, until } from '../helpers';

const fixtures = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
const selfReport = fs.readFileSync(path.join(fixtures, 'fts-a-f-G-U-C-1581185452254.xml'), 'utf8');
const capturedChat = fs.readFileSync(path.join(fixtures, 'fts-b-t-f-1581185463563.xml'), 'utf8');
const XML_DEVICE = 'ANDROID-R52JB0CDC4E'; // corvTab, team Yellow, in the capture
const PROTO_DEVICE = 'ANDROID-PROTO-02';

function site(): Site {
  return cameraSite('Côte d’Opale chat', [{ id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } }]);
}

/** A read receipt as ATAK sends it: named after the message, linked to the device reading it. */
function readReceipt(messageId: string, device: string): string {
  const time = new Date().toISOString();
  return (
    `<event version="2.0" uid="${messageId}" type="b-t-f-r" time="${time}" start="${time}" stale="${new Date(Date.now() + 86_400_000).toISOString()}" how="h-g-i-g-o">` +
    '<point lat="0.0" lon="0.0" hae="0.0" ce="9999999.0" le="9999999.0"/><detail>' +
    `<__chatreceipt parent="RootContactGroup" groupOwner="false" messageId="${messageId}" chatroom="VIGIE" id="VIGIE-Cote-d-Opale-chat" senderCallsign="corvTab">` +
    `<chatgrp uid0="${device}" uid1="VIGIE-Cote-d-Opale-chat" id="VIGIE-Cote-d-Opale-chat"/></__chatreceipt>` +
    `<link uid="${device}" type="a-f-G-U-C" relation="p-p"/></detail></event>`
  );
}

describe('GeoChat both ways with ATAK devices over TCP', () => {
  const dir = tempDataDir();
  const start = () => startSiteCore(dir, site());
  let core: RunningCore;
  const sockets: net.Socket[] = [];
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await core?.stop();
  });
  const port = (name: string, transport: string) => feedPort(core, name, transport);
  const call = <T>(method: string, params: object, role: 'supervisor' | 'operator' = 'operator') =>
    callAs<T>(core, method, params, role === 'supervisor' ? 'chef' : 'opérateur', role);
  async function device(): Promise<{ socket: net.Socket; received: () => Buffer }> {
    let received = Buffer.alloc(0);
    const socket = await connectTcp(port('CoT', 'tcp'));
    socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    sockets.push(socket);
    return { socket, received: () => received };
  }
  /** The GeoChat events a device received, as XML (TAK protocol frames decoded). */
  function chats(bytes: Buffer): string[] {
    return new CotStreamFramer().push(bytes).flatMap((frame) => {
      if (Buffer.isBuffer(frame)) return [frame.toString('utf8')];
      if ('tak' in frame) {
        const decoded = takToXml(frame.tak);
        assert.ok(decoded.ok);
        return [decoded.xml];
      }
      return [];
    });
  }
  const events = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind);
  let xmlDevice: Awaited<ReturnType<typeof device>>;
  let protoDevice: Awaited<ReturnType<typeof device>>;
  let direct: string;

  test('two devices report themselves: one in XML, one in TAK protocol v1', async () => {
    core = await start();
    xmlDevice = await device();
    xmlDevice.socket.write(refreshTimes(selfReport, Date.now()));
    protoDevice = await device();
    const proto = refreshTimes(selfReport, Date.now())
      .replaceAll(XML_DEVICE, PROTO_DEVICE)
      .replace("callsign='corvTab'", "callsign='OPALE 02'")
      .replace("name='Yellow'", "name='Cyan'");
    protoDevice.socket.write(streamFrame(xmlToTak(proto)));
    await until(() => core.devices.get(XML_DEVICE) && core.devices.get(PROTO_DEVICE), 'both devices');
  });

  test('refusals: an unknown team, an unknown device, an unknown message', async () => {
    assert.equal((await call('chat.send', { to: { kind: 'team', team: 'Red' }, text: 'x' })).error?.reason, 'team-unknown');
    assert.equal((await call('chat.send', { to: { kind: 'device', device: 'NOBODY' }, text: 'x' })).error?.reason, 'device-unknown');
    assert.equal((await call('chat.send', { to: { kind: 'unit', unit: 'U01' }, text: 'x' })).error?.reason, 'chat-unreachable');
    assert.equal((await call('chat.link', { message: 'NOPE', incident: 'I00001' })).error?.reason, 'incident-not-open');
    assert.equal((await call('chat.send', { to: { kind: 'all' }, text: '   ' })).error?.reason, 'bad-request');
  });

  test('an operator writes to one device: its socket receives ATAK’s GeoChat; its read receipt shows as read', async () => {
    const sent = await call<{ message: string; recipients: string[] }>('chat.send', {
      to: { kind: 'device', device: XML_DEVICE },
      text: 'Rejoignez Sangatte <vite> & confirmez',
    });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.deepEqual(sent.result.recipients, [XML_DEVICE]);
    direct = sent.result.message;
    const logged = events('chat.sent').at(-1)!;
    assert.equal(logged.operator, 'opérateur');
    assert.equal(logged.source, 'console');
    assert.deepEqual(JSON.parse(logged.payload), {
      m: direct,
      to: `device:${XML_DEVICE}`,
      room: 'corvTab',
      rid: XML_DEVICE,
      text: 'Rejoignez Sangatte <vite> & confirmez',
      d: [XML_DEVICE],
    });

    const xml = await until(() => chats(xmlDevice.received()).find((event) => event.includes('type="b-t-f"')), 'the GeoChat on the device socket');
    assert.match(xml, new RegExp(`messageId="${direct}" chatroom="corvTab" id="${XML_DEVICE}" senderCallsign="VIGIE"`));
    assert.match(xml, /&lt;vite&gt; &amp; confirmez<\/remarks>/);
    assert.match(xml, new RegExp(`<__serverdestination destinations="127.0.0.1:${port('CoT', 'tcp')}:tcp:VIGIE-Cote-d-Opale-chat"/>`));
    // What the device reads: the chat, from Vigie, with the text as written.
    const parsed = parseCotEvent(xml, site(), Date.now());
    assert.ok(parsed.ok && parsed.messages[0]!.type === 'chat' && parsed.messages[0]!.text === 'Rejoignez Sangatte <vite> & confirmez');
    assert.equal(chats(protoDevice.received()).length, 0, 'nothing to the other device');

    xmlDevice.socket.write(readReceipt(direct, XML_DEVICE));
    const read = await until(() => core.chat.get(direct)?.receipts.find((r) => r.state === 'read'), 'the read receipt');
    assert.equal(read.device, XML_DEVICE);
    const listed = (await call<{ messages: ChatMessageView[] }>('chat.list', {})).result.messages.find((m) => m.id === direct)!;
    assert.equal(listed.thread, `device:${XML_DEVICE}`);
    assert.deepEqual(
      listed.receipts.map((r) => r.state),
      ['read'],
    );
    assert.deepEqual(JSON.parse(events('chat.receipt').at(-1)!.payload), { d: XML_DEVICE, m: direct, st: 'read', uid: XML_DEVICE });
  });

  test('to a team and to All Chat Rooms: each device in the format it spoke (XML or TAK protocol stream)', async () => {
    const team = await call<{ recipients: string[] }>('chat.send', { to: { kind: 'team', team: 'Cyan' }, text: 'Cyan: cap sur Wissant' });
    assert.deepEqual(team.result.recipients, [PROTO_DEVICE]);
    // The protobuf device gets a TAK protocol stream frame, not XML.
    await until(() => protoDevice.received()[0] === 0xbf && chats(protoDevice.received()).length === 1, 'the team chat as a TAK frame');
    assert.match(chats(protoDevice.received())[0]!, /chatroom="Cyan" id="Cyan"/);

    const all = await call<{ recipients: string[] }>('chat.send', { to: { kind: 'all' }, text: 'Tous: point à 22h' });
    assert.deepEqual(all.result.recipients.sort(), [PROTO_DEVICE, XML_DEVICE].sort());
    await until(() => chats(protoDevice.received()).length === 2, 'All Chat Rooms on the protobuf device');
    await until(() => chats(xmlDevice.received()).length === 2, 'All Chat Rooms on the XML device');
    assert.match(chats(xmlDevice.received())[1]!, /chatroom="All Chat Rooms"/);
    assert.equal(core.chat.get((JSON.parse(events('chat.sent').at(-1)!.payload) as { m: string }).m)!.thread, 'all');
  });

  test('a device’s chat arrives in its thread; linked to an incident, it travels in that incident’s evidence', async () => {
    xmlDevice.socket.write(refreshTimes(capturedChat, Date.now()));
    const inbound = await until(() => core.chat.list().find((m) => m.direction === 'in'), 'the device’s chat');
    assert.equal(inbound.text, 'need supoort');
    assert.equal(inbound.thread, `device:${XML_DEVICE}`);

    const camera = await connectTcp(port('JSON', 'tcp'));
    sockets.push(camera);
    camera.write(
      `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-2', detection: 'D1', kind: 'group-on-beach', lat: 50.95, lon: 1.74, confidence: 0.8 })}\n`,
    );
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.subject === 'det:CAM-2/D1'), 'the alert');
    const incident = (await call<{ incident: string }>('alert.acknowledge', { alert: alert.id })).result.incident;
    assert.equal((await call('chat.link', { message: 'NOPE', incident })).error?.reason, 'message-unknown');
    assert.ok((await call('chat.link', { message: inbound.id, incident })).ok);
    assert.ok((await call('chat.link', { message: direct, incident }, 'supervisor')).ok);
    assert.equal(events('chat.linked').at(-1)!.operator, 'chef');
    await until(() => core.chat.get(direct)?.incident === incident, 'the link');

    const evidence = buildEvidence(core.db, { kind: 'incident', id: incident });
    assert.ok(verifyEvidence(JSON.parse(JSON.stringify(evidence))).ok);
    const kinds = evidence.events.map((e) => `${e.kind}:${(e.value as { m?: string }).m ?? ''}`);
    for (const expected of [
      `chat.received:${inbound.id}`,
      `chat.sent:${direct}`,
      `chat.receipt:${direct}`,
      `chat.linked:${inbound.id}`,
      `chat.linked:${direct}`,
    ])
      assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(', ')}`);
    assert.ok(!kinds.some((k) => k.startsWith('chat.sent:') && !k.endsWith(direct)), 'messages not linked stay out');
  });

  test('replay: chat.at shows each message, receipt and link from its own time on; a restart keeps them', async () => {
    const sentSeq = events('chat.sent')[0]!.seq;
    const receiptSeq = events('chat.receipt')[0]!.seq;
    const before = (await call<{ messages: ChatMessageView[] }>('chat.at', { seq: sentSeq - 1 })).result.messages;
    assert.ok(!before.some((m) => m.id === direct));
    const sentOnly = (await call<{ messages: ChatMessageView[] }>('chat.at', { seq: sentSeq })).result.messages.find((m) => m.id === direct)!;
    assert.deepEqual([sentOnly.receipts.length, sentOnly.incident], [0, null]);
    const read = (await call<{ messages: ChatMessageView[] }>('chat.at', { seq: receiptSeq })).result.messages.find((m) => m.id === direct)!;
    assert.deepEqual(
      read.receipts.map((r) => r.state),
      ['read'],
    );
    assert.equal(read.incident, null, 'linked later');

    const list = core.chat.list();
    await core.stop();
    core = await start();
    assert.deepEqual(core.chat.list(), list);
  });

  test('a device whose connection closed cannot be written to', async () => {
    // The restart closed every device socket.
    assert.equal((await call('chat.send', { to: { kind: 'device', device: XML_DEVICE }, text: 'encore là ?' })).error?.reason, 'chat-unreachable');
    assert.equal((await call('chat.send', { to: { kind: 'all' }, text: 'tous ?' })).error?.reason, 'chat-unreachable');
  });
});
