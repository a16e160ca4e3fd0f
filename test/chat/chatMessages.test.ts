// The GeoChat projection and the send planning, unit by unit: chat_messages
// follows the log (a repeated message is one, receipts per device and state,
// a link), answers any replayed seq, survives a reopen; planChat picks each
// addressee's open link and refuses with the reason when it cannot.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import type { Site } from '../../shared/site';
import { ChatMessages, threadOfReceived } from '../../electron/core/chat/chatMessages';
import { planChat, type ChatParts } from '../../electron/core/chat/geoChatSend';
import { openDatabase } from '../../electron/core/db/database';
import { EventLog } from '../../electron/core/log/eventLog';
import type { UnitLink } from '../../electron/core/feeds/outbound';
import { Refusal } from '../../electron/core/refusal';
import { tempDataDir } from '../helpers';

const received = (m: string, room = 'All Chat Rooms', d = 'ANDROID-A') => ({
  kind: 'chat.received',
  source: `cot:${d}`,
  payload: { m, d, uid: d, cs: 'ALPHA', room, rid: room, text: `texte ${m}` },
});

describe('chat_messages projection', () => {
  const dir = tempDataDir();
  const clock = new ManualClock(Date.parse('2026-12-05T08:00:00Z'));

  test('messages in and out, receipts per device and state, a link; chat.at cuts at any seq; a reopen keeps them', () => {
    const db = openDatabase(dir);
    const log = new EventLog(db, clock);
    const chat = new ChatMessages(db);
    log.addProjector(chat.project);
    log.append([received('M1'), received('M1')]); // relayed twice: one message
    log.append([received('M2', 'Cyan', 'ANDROID-B'), received('M3', 'corvTab', 'ANDROID-B')]);
    log.append([
      {
        kind: 'chat.sent',
        source: 'console',
        operator: 'marie',
        payload: { m: 'S1', to: 'team:Cyan', room: 'Cyan', rid: 'Cyan', text: 'En route', d: ['ANDROID-B', 'ANDROID-C'] },
      },
    ]);
    const sentSeq = log.status().lastSeq;
    log.append([{ kind: 'chat.receipt', source: 'cot:ANDROID-B', payload: { m: 'S1', d: 'ANDROID-B', uid: 'ANDROID-B', st: 'delivered' } }]);
    const deliveredSeq = log.status().lastSeq;
    log.append([
      { kind: 'chat.receipt', source: 'cot:ANDROID-B', payload: { m: 'S1', d: 'ANDROID-B', uid: 'ANDROID-B', st: 'read' } },
      { kind: 'chat.receipt', source: 'cot:ANDROID-B', payload: { m: 'S1', d: 'ANDROID-B', uid: 'ANDROID-B', st: 'read' } },
      { kind: 'chat.receipt', source: 'cot:ANDROID-C', payload: { m: 'NOT-OURS', d: 'ANDROID-C', uid: 'ANDROID-C', st: 'read' } },
      { kind: 'chat.linked', source: 'console', operator: 'marie', payload: { m: 'M1', inc: 'I00001' } },
    ]);

    assert.deepEqual(
      chat.list().map((m) => [m.id, m.direction, m.thread]),
      [
        ['M1', 'in', 'all'],
        ['M2', 'in', 'team:Cyan'],
        ['M3', 'in', 'device:ANDROID-B'],
        ['S1', 'out', 'team:Cyan'],
      ],
    );
    const sent = chat.get('S1')!;
    assert.equal(sent.operator, 'marie');
    assert.deepEqual(sent.recipients, ['ANDROID-B', 'ANDROID-C']);
    assert.deepEqual(
      sent.receipts.map((r) => `${r.device}:${r.state}`),
      ['ANDROID-B:delivered', 'ANDROID-B:read'],
    );
    assert.equal(chat.get('M1')!.incident, 'I00001');

    // Replay: before the message, at it, after the delivered receipt.
    assert.equal(
      chat.at(sentSeq - 1).find((m) => m.id === 'S1'),
      undefined,
    );
    assert.deepEqual(chat.at(sentSeq).find((m) => m.id === 'S1')!.receipts, []);
    assert.deepEqual(
      chat
        .at(deliveredSeq)
        .find((m) => m.id === 'S1')!
        .receipts.map((r) => r.state),
      ['delivered'],
    );
    assert.equal(chat.at(deliveredSeq).find((m) => m.id === 'M1')!.incident, null, 'linked later');
    assert.deepEqual(chat.takeChanged()!.length, 4);
    assert.equal(chat.takeChanged(), null);

    const before = chat.list();
    db.close();
    const reopened = openDatabase(dir);
    assert.deepEqual(new ChatMessages(reopened).list(), before);
    reopened.close();
  });

  test('threads: All Chat Rooms, an ATAK team colour, else the sender', () => {
    assert.equal(threadOfReceived('All Chat Rooms', 'All Chat Rooms', 'D'), 'all');
    assert.equal(threadOfReceived('Dark Blue', 'Dark Blue', 'D'), 'team:Dark Blue');
    assert.equal(threadOfReceived('aa0b0312', 'Eliopoli HQ', 'D'), 'device:D');
  });
});

describe('planChat', () => {
  const site = { units: [{ id: 'U02', callsign: 'OPALE 02', device: { protocol: 'cot', uid: 'OPALE-02-TAB' } }] } as unknown as Site;
  const link = (open: boolean): UnitLink => ({ protocol: 'cot', send: () => true, isOpen: () => open });
  const devices = [
    { id: 'ANDROID-A', uid: 'ANDROID-A', callsign: 'ALPHA', team: 'Cyan', unit: null, blocked: null },
    { id: 'ANDROID-B', uid: 'ANDROID-B', callsign: 'BRAVO', team: 'Cyan', unit: 'TAK01', blocked: null },
    { id: 'ANDROID-X', uid: 'ANDROID-X', callsign: 'XRAY', team: 'Red', unit: null, blocked: 'lost' },
  ];
  const links = new Map<string, UnitLink>([
    ['ANDROID-A', link(true)],
    ['unit:TAK01', link(true)],
    ['unit:U02', link(false)],
  ]);
  const parts = {
    site,
    devices: { list: () => devices },
    picture: {
      units: new Map([
        ['TAK01', { callsign: 'CORV 1' }],
        ['U02', { callsign: 'OPALE 02' }],
      ]),
    },
    // As Outbound.cotLinkOf: the device's own link, else its unit's, open ones only.
    outbound: {
      cotLinkOf: (device?: string, unit?: string) => [links.get(device ?? ''), links.get(`unit:${unit}`)].find((l) => l?.isOpen()) ?? null,
    },
  } as unknown as ChatParts;
  const refusal = (work: () => unknown) => {
    try {
      work();
    } catch (error) {
      if (error instanceof Refusal) return error.reason;
      throw error;
    }
    return 'none';
  };

  test('a team: every member reached, a registered one through its unit’s link and under its unit’s callsign', () => {
    const plan = planChat(parts, { kind: 'team', team: 'Cyan' });
    assert.equal(plan.to, 'team:Cyan');
    assert.deepEqual(plan.room, { kind: 'team', team: 'Cyan', members: ['ANDROID-A', 'ANDROID-B'] });
    assert.deepEqual(
      plan.recipients.map((r) => `${r.device}/${r.callsign}`),
      ['ANDROID-A/ALPHA', 'ANDROID-B/CORV 1'],
    );
  });

  test('a unit, a device, everyone; and the refusals', () => {
    const unit = planChat(parts, { kind: 'unit', unit: 'TAK01' });
    assert.deepEqual([unit.to, unit.roomName, unit.roomId], ['unit:TAK01', 'CORV 1', 'ANDROID-B']);
    assert.deepEqual(
      planChat(parts, { kind: 'all' }).recipients.map((r) => r.device),
      ['ANDROID-A', 'ANDROID-B'],
    );
    assert.equal(
      refusal(() => planChat(parts, { kind: 'unit', unit: 'U02' })),
      'chat-unreachable',
    );
    assert.equal(
      refusal(() => planChat(parts, { kind: 'unit', unit: 'U99' })),
      'unit-unknown',
    );
    assert.equal(
      refusal(() => planChat(parts, { kind: 'team', team: 'Red' })),
      'team-unknown',
      'a blocked device makes no team',
    );
    assert.equal(
      refusal(() => planChat(parts, { kind: 'device', device: 'ANDROID-X' })),
      'device-unknown',
    );
  });
});
