// The TAK mesh (issue 13 item 8): a core joins ATAK's SA and chat multicast
// groups on a configured interface and reads what real devices send there —
// a self-report as XML, another as a TAK Protocol v1 mesh datagram, a GeoChat
// on the chat group — through real multicast sockets on the loopback
// interface. A datagram for another group is not read; an interface that is
// not this machine's is reported and the core goes on.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { meshFrame, xmlToTak } from '../../electron/core/feeds/tak/takProtocol';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger, type Logger } from '../../electron/core/logger';
import type { Site } from '../../shared/site';
import { cameraSite, signInHeaders, tempDataDir, until } from '../helpers';
import { refreshTimes } from './takTimes';

const samplesDir = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
const sample = (prefix: string) => {
  const name = fs.readdirSync(samplesDir).find((file) => file.startsWith(prefix) && file.endsWith('.xml'))!;
  return refreshTimes(fs.readFileSync(path.join(samplesDir, name), 'utf8'), Date.now());
};

function meshSite(iface: string): Site {
  return cameraSite(
    'tak mesh',
    [{ id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.63, 50.86], device: { protocol: 'cot', uid: 'ANDROID-U02' } }],
    { cot: { udp: 0, tcp: 0, multicast: false, mesh: { interface: iface, sa: '239.2.3.1:6969', chat: '224.10.10.1:17012' } } },
  );
}

async function startMeshCore(iface: string, logger: Logger = silentLogger): Promise<RunningCore> {
  const dir = tempDataDir();
  const siteFile = path.join(dir, 'site.json');
  fs.writeFileSync(siteFile, JSON.stringify(meshSite(iface)));
  // Random ports for the groups, so test files running side by side do not hear each other.
  return startCore({
    dataDir: path.join(dir, 'data'),
    logger,
    siteFile,
    rendererDir: dir,
    feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, mesh: { sa: 0, chat: 0 } },
  });
}

describe('the TAK mesh over real multicast on loopback', () => {
  let core: RunningCore;
  // A device on the same network: multicast out of the loopback interface, one hop.
  const device = dgram.createSocket('udp4');
  before(async () => {
    core = await startMeshCore('127.0.0.1');
    await new Promise<void>((resolve) => device.bind(0, '127.0.0.1', resolve));
    device.setMulticastInterface('127.0.0.1');
    device.setMulticastTTL(1);
  });
  after(async () => {
    device.close();
    await core.stop();
  });
  const group = (which: 'SA' | 'chat') => core.feeds!.listeners.find((listener) => listener.name.startsWith(`TAK mesh ${which}`))!;
  const logged = (kind: string) => [...iterateEvents(core.db)].filter((e) => e.kind === kind).map((e) => JSON.parse(e.payload) as Record<string, unknown>);

  test('the groups are listed as listeners, bound to their group addresses', () => {
    assert.deepEqual(
      core
        .feeds!.listeners.filter((listener) => listener.name.startsWith('TAK mesh'))
        .map(({ name, protocol, transport, host }) => ({ name, protocol, transport, host })),
      [
        { name: 'TAK mesh SA 239.2.3.1', protocol: 'cot', transport: 'udp', host: '239.2.3.1' },
        { name: 'TAK mesh chat 224.10.10.1', protocol: 'cot', transport: 'udp', host: '224.10.10.1' },
      ],
    );
  });

  test('self-reports on the SA group (XML and protobuf) and a GeoChat on the chat group are read', async () => {
    device.send(sample('fts-a-f-G-U-C-1581185452254'), group('SA').port, '239.2.3.1');
    const protobuf = sample('fts-a-f-G-E-V-C-1581185468929');
    device.send(meshFrame(xmlToTak(protobuf)), group('SA').port, '239.2.3.1');
    device.send(sample('fts-b-t-f'), group('chat').port, '224.10.10.1');
    await until(() => logged('device.report').length >= 2 && logged('chat.received').length === 1, 'two self-reports and a chat from the mesh');
    const uids = new Set(logged('device.report').map((report) => report.uid));
    assert.ok(uids.has('ANDROID-R52JB0CDC4E'), [...uids].join(', '));
    assert.equal(logged('chat.received')[0]!.text, 'need supoort');
    assert.deepEqual(core.db.prepare('SELECT reason FROM quarantine').all(), []);
  });

  test('an operator writing to All Chat Rooms reaches the mesh chat group; the core does not read its own message back', async () => {
    // An ATAK device that only listens to the mesh: joined to the chat group on its port.
    const listener = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    const heard: string[] = [];
    listener.on('message', (message) => heard.push(message.toString('utf8')));
    await new Promise<void>((resolve) => listener.bind(group('chat').port, '224.10.10.1', resolve));
    listener.addMembership('224.10.10.1', '127.0.0.1');
    try {
      const received = logged('chat.received').length;
      const headers = await signInHeaders(core);
      const response = await fetch(`http://127.0.0.1:${core.port}/api/chat.send`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: { kind: 'all' }, text: 'Tous les postes : point de situation à 22 h' }),
      });
      assert.equal(response.status, 200, await response.clone().text());
      await until(() => heard.some((datagram) => datagram.includes('point de situation')), 'the GeoChat on the chat group');
      const chat = heard.find((datagram) => datagram.includes('point de situation'))!;
      assert.match(chat, /type="b-t-f"/);
      assert.match(chat, /chatroom="All Chat Rooms"/);
      assert.equal(logged('chat.sent').at(-1)!.mesh, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(logged('chat.received').length, received, 'its own message is not read back as received');
    } finally {
      listener.close();
    }
  });

  test('a datagram for another group on the same port is not read', async () => {
    const before = logged('chat.received').length;
    device.send(sample('cotlib-geochat-1'), group('chat').port, '224.10.10.2');
    // And one the group does carry afterwards, to know the first had its chance to arrive.
    device.send(sample('cotlib-geochat-2'), group('chat').port, '224.10.10.1');
    await until(() => logged('chat.received').length === before + 1, 'the chat sent to the group');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(logged('chat.received').length, before + 1);
  });
});

test('an interface that is not this machine’s is reported, and the core goes on', async () => {
  const warnings: string[] = [];
  const core = await startMeshCore('192.0.2.254', { ...silentLogger, warn: (message) => warnings.push(message) });
  try {
    assert.ok(
      warnings.some((warning) => /^TAK mesh SA 239\.2\.3\.1: cannot join 239\.2\.3\.1 on 192\.0\.2\.254: .*; nothing from the mesh will arrive$/.test(warning)),
      warnings.join('\n'),
    );
    assert.ok(
      core.feeds!.listeners.some((listener) => listener.name === 'CoT mesh'),
      'the unicast CoT listener still runs',
    );
  } finally {
    await core.stop();
  }
});
