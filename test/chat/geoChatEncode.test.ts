// The outbound GeoChat encoder against Vigie's own readers: what an operator
// sends to All Chat Rooms, a team or one device reads back — through the CoT
// XML parser and through TAK protocol v1 (XML → TakMessage → XML) — as the
// chat ATAK would show, with ATAK's layout (compared with the real captures).
// And the receipts ATAK sends back (b-t-f-d, b-t-f-r) read as receipts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { encodeGeoChat, type GeoChat } from '../../electron/core/feeds/cot/encodeGeoChat';
import { parseCotEvent } from '../../electron/core/feeds/cot/parseCotEvent';
import { takToXml, xmlToTak } from '../../electron/core/feeds/tak/takProtocol';
import { threadOfReceived } from '../../electron/core/chat/chatMessages';
import type { Site } from '../../shared/site';

const site: Site = {
  version: 1,
  name: 'chat',
  escalateAfterSeconds: 120,
  coverageEtaMinutes: 15,
  listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 1000 },
  sensors: [],
  units: [],
};
const now = Date.parse('2026-12-05T08:00:00Z');
const sender = { uid: 'VIGIE-cote-opale', callsign: 'VIGIE' };

function read(xml: string) {
  const parsed = parseCotEvent(xml, site, now + 100);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.equal(parsed.messages.length, 1);
  return parsed.messages[0]!;
}

function viaProtobuf(xml: string) {
  const decoded = takToXml(xmlToTak(xml));
  assert.ok(decoded.ok, JSON.stringify(decoded));
  return read(decoded.xml);
}

describe('GeoChat encoder', () => {
  const cases: { name: string; chat: GeoChat; room: string; roomId: string; thread: string }[] = [
    {
      name: 'All Chat Rooms',
      chat: {
        messageId: '0c8b5a4e-1111-4e0b-9d3a-6c0f8c1f2a01',
        sender,
        room: { kind: 'all' },
        text: 'Tous: point de situation à 22h',
        now,
        destination: '127.0.0.1:8087:tcp',
      },
      room: 'All Chat Rooms',
      roomId: 'All Chat Rooms',
      thread: 'all',
    },
    {
      name: 'a team',
      chat: {
        messageId: '0c8b5a4e-2222-4e0b-9d3a-6c0f8c1f2a02',
        sender,
        room: { kind: 'team', team: 'Yellow', members: ['ANDROID-R52JB0CDC4E', 'ANDROID-U03'] },
        text: 'Jaune: rejoindre Sangatte',
        now,
      },
      room: 'Yellow',
      roomId: 'Yellow',
      thread: 'team:Yellow',
    },
    {
      name: 'one device',
      chat: {
        messageId: '0c8b5a4e-3333-4e0b-9d3a-6c0f8c1f2a03',
        sender,
        room: { kind: 'direct', uid: 'ANDROID-R52JB0CDC4E', callsign: 'corvTab' },
        text: 'Deux personnes & un <zodiac> "à l\'eau"',
        now,
        destination: '127.0.0.1:8087:tcp',
      },
      room: 'corvTab',
      roomId: 'ANDROID-R52JB0CDC4E',
      thread: 'device:VIGIE-cote-opale',
    },
  ];

  for (const { name, chat, room, roomId, thread } of cases)
    test(`to ${name}: read back as the same chat, in XML and through TAK protocol v1`, () => {
      const xml = encodeGeoChat(chat);
      const expected = {
        type: 'chat',
        message: chat.messageId,
        device: sender.uid,
        uid: sender.uid,
        callsign: 'VIGIE',
        room,
        roomId,
        text: chat.text,
        time: now,
      };
      const direct = read(xml);
      const { extra: _extra, ...rest } = direct as typeof direct & { extra?: string };
      assert.deepEqual(rest, expected);
      const proto = viaProtobuf(xml);
      assert.deepEqual({ ...proto, extra: undefined }, { ...direct, extra: undefined });
      if (direct.type === 'chat') assert.equal(threadOfReceived(direct.roomId, direct.room, direct.device), thread);
    });

  test('ATAK’s layout: uid, __chat, chatgrp members, p-p link, remarks, __serverdestination, marti dest', () => {
    const xml = encodeGeoChat(cases[2]!.chat);
    assert.match(xml, /^<event version="2.0" uid="GeoChat.VIGIE-cote-opale.corvTab.0c8b5a4e-3333-4e0b-9d3a-6c0f8c1f2a03" type="b-t-f" how="h-g-i-g-o"/);
    assert.match(
      xml,
      /<__chat parent="RootContactGroup" groupOwner="false" messageId="0c8b5a4e-3333-4e0b-9d3a-6c0f8c1f2a03" chatroom="corvTab" id="ANDROID-R52JB0CDC4E" senderCallsign="VIGIE"><chatgrp uid0="VIGIE-cote-opale" uid1="ANDROID-R52JB0CDC4E" id="ANDROID-R52JB0CDC4E"\/><\/__chat>/,
    );
    assert.match(xml, /<link uid="VIGIE-cote-opale" type="a-f-G-U-C" relation="p-p"\/>/);
    assert.match(
      xml,
      /<remarks source="BAO.F.ATAK.VIGIE-cote-opale" to="ANDROID-R52JB0CDC4E" time="2026-12-05T08:00:00.000Z">Deux personnes &amp; un &lt;zodiac&gt;/,
    );
    assert.match(xml, /<__serverdestination destinations="127.0.0.1:8087:tcp:VIGIE-cote-opale"\/>/);
    assert.match(xml, /<marti><dest callsign="corvTab"\/><\/marti>/);
    const team = encodeGeoChat(cases[1]!.chat);
    assert.match(team, /<__chat parent="TeamGroups" [^>]*chatroom="Yellow" id="Yellow"/);
    assert.match(team, /<chatgrp uid0="VIGIE-cote-opale" uid1="ANDROID-R52JB0CDC4E" uid2="ANDROID-U03" id="Yellow"\/>/);
    // The same elements, in the same places, as the real ATAK capture.
    const capture = fs.readFileSync(path.join(__dirname, '../fixtures/feeds/cot/tak-samples/cotlib-geochat-1.xml'), 'utf8');
    for (const element of [
      '<__chat parent="RootContactGroup" groupOwner="false" messageId=',
      '<chatgrp uid0=',
      'relation="p-p"',
      '<__serverdestination destinations=',
    ])
      assert.ok(capture.includes(element) && encodeGeoChat(cases[0]!.chat).includes(element), element);
  });
});

describe('GeoChat receipts', () => {
  // As ATAK sends them: named after the message, __chatreceipt repeating the room, linked to the device acknowledging.
  const receipt = (type: string, element = '__chatreceipt') =>
    `<event version="2.0" uid="6f2b32b7-e090-4c8e-9609-dfcaf28bc3ea" type="${type}" time="2026-12-05T08:00:01Z" start="2026-12-05T08:00:01Z" stale="2026-12-06T08:00:01Z" how="h-g-i-g-o">` +
    '<point lat="0.0" lon="0.0" hae="0.0" ce="9999999.0" le="9999999.0"/><detail>' +
    `<${element} parent="RootContactGroup" groupOwner="false" messageId="6f2b32b7-e090-4c8e-9609-dfcaf28bc3ea" chatroom="VIGIE" id="VIGIE-cote-opale" senderCallsign="corvTab">` +
    `<chatgrp uid0="ANDROID-R52JB0CDC4E" uid1="VIGIE-cote-opale" id="VIGIE-cote-opale"/></${element}>` +
    '<link uid="ANDROID-R52JB0CDC4E" type="a-f-G-U-C" relation="p-p"/></detail></event>';

  test('b-t-f-d is delivered, b-t-f-r is read, in XML and protobuf; __chat instead of __chatreceipt too', () => {
    const expected = { type: 'chat-receipt', message: '6f2b32b7-e090-4c8e-9609-dfcaf28bc3ea', device: 'ANDROID-R52JB0CDC4E', uid: 'ANDROID-R52JB0CDC4E' };
    assert.deepEqual(read(receipt('b-t-f-d')), { ...expected, state: 'delivered', time: Date.parse('2026-12-05T08:00:01Z') });
    assert.deepEqual(read(receipt('b-t-f-r')), { ...expected, state: 'read', time: Date.parse('2026-12-05T08:00:01Z') });
    assert.deepEqual(viaProtobuf(receipt('b-t-f-r')), read(receipt('b-t-f-r')));
    assert.deepEqual(read(receipt('b-t-f-r', '__chat')), read(receipt('b-t-f-r')));
  });

  test('a receipt naming no device is refused with the reason', () => {
    const parsed = parseCotEvent(
      receipt('b-t-f-r')
        .replace(/<link[^>]*\/>/, '')
        .replace(/uid0="[^"]*"/, ''),
      site,
      now,
    );
    assert.ok(!parsed.ok);
    assert.equal(parsed.reason, 'bad-schema');
  });
});
