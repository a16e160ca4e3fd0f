import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CotStreamFramer } from '../../electron/core/feeds/framing/cotStreamFramer';
import { isOversized, isTak, type Frame } from '../../electron/core/feeds/framing/frames';
import { LineFramer } from '../../electron/core/feeds/framing/lineFramer';

const fixtures = path.join(__dirname, '../fixtures/feeds');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name));

/** What a list of frames looks like, for comparisons: text, or a tag for reports. */
function describeFrames(frames: Frame[]): string[] {
  return frames.map((frame) => {
    if (Buffer.isBuffer(frame)) return frame.toString('latin1');
    if (isOversized(frame)) return `<oversized ${frame.bytes.length}>`;
    if (isTak(frame)) return `<tak ${frame.tak.toString('hex')}>`;
    return `<unsupported ${frame.unsupported}>`;
  });
}

function feed(framer: { push(chunk: Buffer): Frame[] }, chunks: Buffer[]): Frame[] {
  return chunks.flatMap((chunk) => framer.push(chunk));
}

function splitAt(bytes: Buffer, ...points: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(Buffer.from(bytes.subarray(from, point)));
    from = point;
  }
  chunks.push(Buffer.from(bytes.subarray(from)));
  return chunks;
}

function bytewise(bytes: Buffer): Buffer[] {
  return [...bytes].map((byte) => Buffer.from([byte]));
}

describe('LineFramer', () => {
  test('splits on LF, strips a CR, skips empty lines', () => {
    const framer = new LineFramer(100);
    assert.deepEqual(describeFrames(framer.push(Buffer.from('$A*00\r\n\r\n$B*00\n\n$C'))), ['$A*00', '$B*00']);
    assert.equal(framer.pendingBytes, 2);
    assert.deepEqual(describeFrames(framer.push(Buffer.from('*00\r\n'))), ['$C*00']);
    assert.equal(framer.pendingBytes, 0);
  });

  test('every split point of a stream gives the same lines', () => {
    const stream = fixture('nmea/arpa-grisnez.nmea');
    const expected = describeFrames(new LineFramer(200).push(stream));
    assert.equal(expected.length, 10);
    for (let a = 0; a <= stream.length; a++) {
      const framer = new LineFramer(200);
      assert.deepEqual(describeFrames(feed(framer, splitAt(stream, a))), expected, `split at ${a}`);
    }
    for (let a = 0; a < 160; a += 7)
      for (let b = a; b < 400; b += 13) assert.deepEqual(describeFrames(feed(new LineFramer(200), splitAt(stream, a, b))), expected, `split at ${a}, ${b}`);
    assert.deepEqual(describeFrames(feed(new LineFramer(200), bytewise(stream))), expected);
  });

  test('lines inside one chunk are views of it, not copies', () => {
    const chunk = Buffer.from('first\nsecond\n');
    const [first] = new LineFramer(100).push(chunk) as Buffer[];
    assert.equal(first!.buffer, chunk.buffer);
  });

  test('an oversized line is reported once, with its first maxBytes, and the framer resynchronises', () => {
    const framer = new LineFramer(10);
    const frames = framer.push(Buffer.from('0123456789ABCDEF\nok\n'));
    assert.deepEqual(describeFrames(frames), ['<oversized 10>', 'ok']);
    assert.equal((frames[0] as { bytes: Buffer }).bytes.toString(), '0123456789');
    // Spread over many chunks: reported once, never more than maxBytes (+1 for a CR) held.
    const spread = new LineFramer(10);
    const out: Frame[] = [];
    for (let i = 0; i < 1000; i++) {
      out.push(...spread.push(Buffer.from('xxxxxxx')));
      assert.ok(spread.pendingBytes <= 11);
    }
    out.push(...spread.push(Buffer.from('yy\nnext\n')));
    assert.deepEqual(describeFrames(out), ['<oversized 10>', 'next']);
    assert.equal((out[0] as { bytes: Buffer }).bytes.toString(), 'xxxxxxxxxx');
    assert.ok(spread.discardedBytes >= 7000 - 10);
  });

  test('a line of exactly maxBytes passes, CR LF split across chunks', () => {
    const framer = new LineFramer(5);
    assert.deepEqual(describeFrames(feed(framer, [Buffer.from('12345\r'), Buffer.from('\n123456\n')])), ['12345', '<oversized 5>']);
  });

  test('end() hands over a last line without newline', () => {
    const framer = new LineFramer(100);
    framer.push(Buffer.from('$A*00\n$B*0'));
    assert.deepEqual(describeFrames(framer.push(Buffer.from('0'))), []);
    assert.deepEqual(describeFrames(framer.end()), ['$B*00']);
    assert.deepEqual(framer.end(), []);
  });

  test('refuses a nonsensical cap', () => {
    assert.throws(() => new LineFramer(0), RangeError);
  });
});

const EVENT_A =
  '<event version="2.0" uid="A" type="a-f-G" time="t" start="t" stale="t" how="m-g"><point lat="1" lon="2"/><detail><remarks>a &lt; b</remarks></detail></event>';
const EVENT_B = '<event uid="B" remarks="x>y" type=\'a-u-S\'>\n  <point lat="3" lon="4" />\n  <detail><eventual/><link uid="p"/></detail>\n</event >';

describe('CotStreamFramer', () => {
  test('every split point of a two-event stream with declarations between gives the two events', () => {
    const stream = Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${EVENT_A}\r\n<?xml version='1.0'?><!-- next -->\n${EVENT_B}\n`);
    const expected = [EVENT_A, EVENT_B];
    for (let a = 0; a <= stream.length; a++) {
      const framer = new CotStreamFramer();
      const frames = feed(framer, splitAt(stream, a));
      assert.deepEqual(describeFrames(frames), expected, `split at ${a}`);
      assert.equal(framer.skippedBytes, 0, `split at ${a}: declarations and whitespace are not garbage`);
      assert.equal(framer.pendingBytes, 0);
    }
    for (let a = 0; a < stream.length; a += 5)
      for (let b = a; b <= stream.length; b += 11)
        assert.deepEqual(describeFrames(feed(new CotStreamFramer(), splitAt(stream, a, b))), expected, `split at ${a}, ${b}`);
    assert.deepEqual(describeFrames(feed(new CotStreamFramer(), bytewise(stream))), expected);
  });

  test('several real events in one chunk, as views of the chunk', () => {
    const names = ['atak-pli-u03.xml', 'wintak-pli-u06.xml', 'radar-track-hostile.xml', 'namespaced-event.xml', 'drone-drn1.xml'];
    const events = names.map((name) => fixture(`cot/${name}`));
    const chunk = Buffer.concat(events.flatMap((event) => [event, Buffer.from('\n')]));
    const frames = new CotStreamFramer().push(chunk);
    assert.equal(frames.length, names.length);
    frames.forEach((frame, i) => {
      assert.ok(Buffer.isBuffer(frame));
      assert.equal(frame.buffer, chunk.buffer, 'no copy');
      const text = events[i]!.toString();
      assert.equal(frame.toString(), text.slice(text.search(/<(cot:)?event[\s>]/)).trimEnd(), names[i]);
    });
  });

  test('odd namespaces: <cot:event> closes with </cot:event>, not with an inner </event>', () => {
    const namespaced = '<cot:event xmlns:cot="urn:x" uid="N"><cot:detail><x>&lt;/event&gt;</x><event-log/></cot:detail></cot:event>';
    const defaultNs = '<event xmlns="urn:mitre:cot" uid="D"><point lat="1" lon="1"/></event>';
    const stream = Buffer.from(namespaced + defaultNs);
    for (let a = 0; a <= stream.length; a++)
      assert.deepEqual(describeFrames(feed(new CotStreamFramer(), splitAt(stream, a))), [namespaced, defaultNs], `split at ${a}`);
  });

  test('a self-closing <event/> is one frame', () => {
    const stream = Buffer.from(`<event uid="S" type="t-x-c-t"/>${EVENT_A}`);
    assert.deepEqual(describeFrames(new CotStreamFramer().push(stream)), ['<event uid="S" type="t-x-c-t"/>', EVENT_A]);
  });

  test('garbage between events is skipped and counted', () => {
    const garbage = 'GET / HTTP/1.1\r\n<html><body>hello</body></html>\x00\x01 <eventx> </event> <events/>';
    const framer = new CotStreamFramer();
    const frames = feed(framer, splitAt(Buffer.from(`junk${EVENT_A}${garbage}${EVENT_B}trailing`), 9, 200));
    assert.deepEqual(describeFrames(frames), [EVENT_A, EVENT_B]);
    assert.ok(framer.skippedBytes >= garbage.replace(/\s/g, '').length, `skipped ${framer.skippedBytes}`);
  });

  test('an event cut short by the next <event is handed on as a fragment and framing goes on', () => {
    const cut = EVENT_A.slice(0, 60);
    const frames = new CotStreamFramer().push(Buffer.from(`${cut}${EVENT_B}`));
    assert.deepEqual(describeFrames(frames), [cut, EVENT_B]);
    const cutInTag = '<event uid="A" type="a';
    assert.deepEqual(describeFrames(new CotStreamFramer().push(Buffer.from(`${cutInTag}${EVENT_B}`))), [cutInTag, EVENT_B]);
  });

  test('an oversized event is reported once and the next event is framed', () => {
    const big = `<event uid="BIG"><detail><remarks>${'x'.repeat(5000)}</remarks></detail></event>`;
    const stream = Buffer.from(`${EVENT_A}${big}${EVENT_B}`);
    for (const points of [[], [100], [300, 3000], [EVENT_A.length + 10, EVENT_A.length + 4500]]) {
      const framer = new CotStreamFramer(1024);
      const frames = feed(framer, splitAt(stream, ...points));
      assert.deepEqual(describeFrames(frames), [EVENT_A, '<oversized 1024>', EVENT_B], `split at ${points}`);
      assert.ok((frames[1] as { bytes: Buffer }).bytes.toString().startsWith('<event uid="BIG">'));
    }
  });

  test('an event that never ends is reported once and never buffered past the cap', () => {
    const framer = new CotStreamFramer(4096);
    const out: Frame[] = [...framer.push(Buffer.from('<event uid="endless"><detail>'))];
    for (let i = 0; i < 2000; i++) {
      out.push(...framer.push(Buffer.from('<x a="1"/><y>text</y>')));
      assert.ok(framer.pendingBytes <= 4096 + 256, `held ${framer.pendingBytes}`);
    }
    out.push(...framer.push(Buffer.from(`</detail></event>${EVENT_A}`)));
    assert.deepEqual(describeFrames(out), ['<oversized 4096>', EVENT_A]);
  });

  test('a quote left open in the start tag hits the cap, not memory', () => {
    const framer = new CotStreamFramer(2048);
    const out = feed(framer, [Buffer.from('<event uid="'), ...Array.from({ length: 500 }, () => Buffer.from('>>>>>>>>>>'))]);
    assert.deepEqual(describeFrames(out), ['<oversized 2048>']);
    assert.equal(framer.pendingBytes, 0);
    assert.deepEqual(describeFrames(framer.push(Buffer.from(`"${EVENT_A}`))), [EVENT_A]);
  });

  test('byte-by-byte delivery of a 60 KB event stays linear', () => {
    const big = Buffer.from(`<event uid="L"><detail>${'<a b="c"/>'.repeat(6000)}</detail></event>`);
    const framer = new CotStreamFramer();
    const started = performance.now();
    const out: Frame[] = [];
    for (let i = 0; i < big.length; i++) out.push(...framer.push(big.subarray(i, i + 1)));
    assert.equal(out.length, 1);
    assert.equal((out[0] as Buffer).length, big.length);
    assert.ok(performance.now() - started < 3000, 'quadratic rescanning would take far longer');
  });

  test('TAK Protocol v1 stream frames come out whole by their length, mixed with XML, at every split point', () => {
    const payload = Buffer.alloc(300, 0x0a); // a 300-byte "protobuf" (length varint: 0xac 0x02)
    const tak = Buffer.concat([Buffer.from([0xbf, 0xac, 0x02]), payload]);
    const small = Buffer.from([0xbf, 0x03, 0x0a, 0x01, 0x41]);
    const stream = Buffer.concat([tak, small, Buffer.from(EVENT_A), tak]);
    for (let a = 0; a <= stream.length; a += 1) {
      const framer = new CotStreamFramer();
      const frames = feed(framer, splitAt(stream, a));
      assert.deepEqual(
        describeFrames(frames),
        [`<tak ${payload.toString('hex')}>`, '<tak 0a0141>', EVENT_A, `<tak ${payload.toString('hex')}>`],
        `split at ${a}`,
      );
    }
  });

  test('a TAK length over the cap (2 GB) is reported once as oversized; the stream goes on at the next XML event', () => {
    const twoGb = Buffer.from([0xbf, 0x80, 0x80, 0x80, 0x80, 0x08]); // varint 2^31
    const framer = new CotStreamFramer();
    const frames = framer.push(Buffer.concat([twoGb, Buffer.alloc(100, 0x41), Buffer.from(EVENT_A)]));
    assert.equal(frames.length, 2);
    assert.ok(isOversized(frames[0]!));
    assert.deepEqual([...(frames[0] as { bytes: Buffer }).bytes.subarray(0, 6)], [...twoGb]);
    assert.equal(describeFrames([frames[1]!])[0], EVENT_A);
    assert.equal(framer.pendingBytes, 0, 'nothing held for the announced 2 GB');
  });

  test('0xbf inside garbage is garbage, not a TAK header', () => {
    // "¿" in UTF-8 is c2 bf: the bf does not start a frame.
    const framer = new CotStreamFramer();
    assert.deepEqual(describeFrames(framer.push(Buffer.from(`¿qué?${EVENT_A}`))), [EVENT_A]);
    assert.equal(framer.skippedBytes, Buffer.byteLength('¿qué?'));
  });

  test('random streams in random chunks frame the same as by design', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 8) % n;
    };
    const events = [
      EVENT_A,
      EVENT_B,
      '<event uid="S"/>',
      '<cot:event xmlns:cot="urn:x" uid="N"><cot:point lat="1" lon="2"/></cot:event>',
      fixture('cot/atak-pli-u03.xml')
        .toString()
        .replace(/^<\?xml[^>]*>\s*/, ''),
    ];
    const between = ['\n', '\r\n', ' \t ', '<?xml version="1.0"?>', '<!-- keepalive -->'];
    const garbage = ['junk', 'GET / HTTP/1.1\r\n', '<html>x</html>', '\u0000\u0001', '</event>', '<events/>'];
    const tak = Buffer.from([0xbf, 0x05, 0x3c, 0x65, 0x76, 0x3e, 0x00]); // payload holds "<ev>"
    for (let round = 0; round < 200; round++) {
      const parts: Buffer[] = [];
      const expected: string[] = [];
      let boundary = true;
      for (let piece = 0; piece < 12; piece++) {
        const pick = random(10);
        if (pick < 5) {
          const event = events[random(events.length)]!;
          parts.push(Buffer.from(event));
          expected.push(event);
          boundary = true;
        } else if (pick < 7) {
          parts.push(Buffer.from(between[random(between.length)]!));
        } else if (pick < 9 || !boundary) {
          parts.push(Buffer.from(garbage[random(garbage.length)]!));
          boundary = false;
        } else {
          parts.push(tak);
          expected.push(`<tak ${tak.subarray(2).toString('hex')}>`);
        }
      }
      const stream = Buffer.concat(parts);
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length;) {
        const size = 1 + random(random(2) === 0 ? 8 : 300);
        chunks.push(Buffer.from(stream.subarray(at, at + size)));
        at += size;
      }
      assert.deepEqual(describeFrames(feed(new CotStreamFramer(), chunks)), expected, `round ${round}: ${JSON.stringify(stream.toString('latin1'))}`);
    }
  });

  test('end() hands over an unfinished event for the quarantine', () => {
    const framer = new CotStreamFramer();
    assert.deepEqual(framer.push(Buffer.from(EVENT_A.slice(0, 50))), []);
    assert.deepEqual(describeFrames(framer.end()), [EVENT_A.slice(0, 50)]);
    assert.deepEqual(framer.end(), []);
    assert.deepEqual(describeFrames(framer.push(Buffer.from(EVENT_B))), [EVENT_B]);
  });
});
