import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { describe, test } from 'node:test';
import type { SimMessage } from '../../electron/simulator/simulation';
import { CotSplitter, LineSplitter } from '../../electron/simulator/transport/framing';
import type { Dial, WireEvents } from '../../electron/simulator/transport/links';
import { StreamLink, UdpLink, newLinkStats, udpLocalAddress } from '../../electron/simulator/transport/links';

describe('framing what the core sends', () => {
  test('lines across chunks, CRLF, blank lines, and an over-long line dropped without losing the next', () => {
    const splitter = new LineSplitter(20);
    assert.deepEqual(splitter.push('{"a":1}\r\n{"b"'), ['{"a":1}']);
    assert.deepEqual(splitter.push(':2}\n\n'), ['{"b":2}']);
    assert.deepEqual(splitter.push('x'.repeat(15)), []);
    assert.deepEqual(splitter.push('x'.repeat(15)), []);
    assert.deepEqual(splitter.push('yyy\nok\n'), ['ok']);
    assert.equal(splitter.oversized, 1);
  });

  test('CoT events split after </event>, junk and XML declarations handled, runaway input dropped', () => {
    const splitter = new CotSplitter(200);
    const event = '<event uid="a"><detail/></event>';
    assert.deepEqual(splitter.push(`junk${event}<?xml version="1.0"?>${event.slice(0, 10)}`), [event]);
    assert.deepEqual(splitter.push(event.slice(10)), [`<?xml version="1.0"?>${event}`]);
    assert.deepEqual(splitter.push('<event>'.repeat(50)), []);
    assert.ok(splitter.dropped > 300);
    assert.deepEqual(splitter.push(event), [event]);
  });
});

/** A transport whose buffer is full whenever the test says so, and which connects and drops on command. */
class FakeWire {
  written: string[] = [];
  full = false;
  events: WireEvents | undefined;
  dials = 0;
  dial: Dial = (events) => {
    this.events = events;
    this.dials += 1;
    return {
      write: (data) => (this.written.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')), !this.full),
      end: () => events.onClose(undefined),
      destroy: () => events.onClose(undefined),
    };
  };
}

const position = (n: number): SimMessage => ({ endpoint: 'json:U01', protocol: 'json', kind: 'unit-position', text: `pos ${n}\n`, replaceKey: 'position:U01' });
const ack = (status: string): SimMessage => ({ endpoint: 'json:U01', protocol: 'json', kind: 'unit-ack', text: `ack ${status}\n` });

describe('a stream link never blocks the simulator', () => {
  test('hello first; while blocked, only the newest position waits; acks are kept in order', () => {
    const wire = new FakeWire();
    const stats = newLinkStats();
    const link = new StreamLink({ name: 'U01', dial: wire.dial, hello: 'hello\n', log: () => {}, stats });
    link.send(position(0)); // not connected yet: queued
    wire.events!.onOpen();
    assert.deepEqual(wire.written, ['hello\n', 'pos 0\n']);
    wire.full = true;
    link.send(ack('en-route')); // accepted by the socket, which now reports a full buffer
    for (let n = 1; n <= 50; n++) link.send(position(n));
    link.send(ack('on-scene'));
    link.send(position(51));
    assert.deepEqual(wire.written, ['hello\n', 'pos 0\n', 'ack en-route\n']);
    wire.full = false;
    wire.events!.onDrain();
    assert.deepEqual(wire.written.slice(3), ['ack on-scene\n', 'pos 51\n']);
    assert.equal(stats.skippedStale, 50);
    assert.equal(stats.sent.json!.hello, 1);
    assert.equal(stats.sent.json!['unit-position'], 2);
    assert.equal(stats.sent.json!['unit-ack'], 2);
  });

  test('the queue is bounded: the oldest messages go first', () => {
    const wire = new FakeWire();
    const stats = newLinkStats();
    const link = new StreamLink({ name: 'U01', dial: wire.dial, log: () => {}, stats, maxQueue: 10 });
    for (let n = 0; n < 25; n++) link.send(ack(String(n)));
    wire.events!.onOpen();
    assert.deepEqual(
      wire.written,
      Array.from({ length: 10 }, (_, i) => `ack ${i + 15}\n`),
    );
    assert.equal(stats.dropped, 15);
  });

  test('a dropped connection is redialled with backoff and says hello again', async () => {
    const wire = new FakeWire();
    const logs: string[] = [];
    const link = new StreamLink({
      name: 'U01',
      dial: wire.dial,
      hello: 'hello\n',
      log: (line) => logs.push(line),
      stats: newLinkStats(),
      backoffMs: { first: 10, max: 40 },
    });
    wire.events!.onOpen();
    wire.events!.onClose('ECONNRESET');
    link.send(ack('while-down'));
    assert.equal(wire.dials, 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(wire.dials, 2);
    wire.events!.onClose('ECONNREFUSED');
    wire.events!.onClose('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 120));
    wire.events!.onOpen();
    assert.deepEqual(wire.written, ['hello\n', 'hello\n', 'ack while-down\n']);
    assert.match(logs[0]!, /U01: connection lost \(ECONNRESET\)/);
    assert.match(logs[logs.length - 1]!, /U01: connected/);
    await link.close();
    link.send(ack('after-close'));
    assert.equal(wire.written.length, 3);
  });
});

describe('UDP devices', () => {
  test('each simulated UDP device sends from its own loopback address on Linux, so the core rate-limits each radar on its own', async (t) => {
    assert.equal(udpLocalAddress('127.0.0.1', 0, 'linux'), '127.0.0.2');
    assert.equal(udpLocalAddress('127.0.0.1', 0, 'darwin'), undefined);
    assert.equal(udpLocalAddress('10.0.0.7', 0, 'linux'), undefined);
    if (process.platform !== 'linux') return t.skip('127.0.0.N is loopback on Linux only');
    const server = dgram.createSocket('udp4');
    const from = new Set<string>();
    const got = new Promise<void>((resolve) =>
      server.on('message', (_data, remote) => {
        from.add(remote.address);
        if (from.size === 2) resolve();
      }),
    );
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    const stats = newLinkStats();
    const port = server.address().port;
    const links = [0, 1].map((index) => new UdpLink('127.0.0.1', port, stats, undefined, udpLocalAddress('127.0.0.1', index)));
    const message: SimMessage = { endpoint: 'nmea:RAD', protocol: 'nmea', kind: 'TTM', text: '$RATTM\r\n' };
    // Sent at once, before the binds complete: Node queues them.
    for (const link of links) link.send(message);
    await got;
    assert.deepEqual([...from].sort(), ['127.0.0.2', '127.0.0.3']);
    await Promise.all(links.map((link) => link.close()));
    server.close();
  });
});
