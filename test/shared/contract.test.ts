import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, encodeCanonical } from '../../shared/canonicalJson';
import { formatDegreesMinutes } from '../../shared/coordinates';
import { RequestFrame, ServerFrame, Sector, events, refusalParams, requests } from '../../shared/contract';
import { runRequest } from '../../electron/core/server/runRequest';
import { Refusal } from '../../electron/core/refusal';
import type { Handlers } from '../../electron/core/server/handlers';
import { silentLogger } from '../../electron/core/logger';

/** The post's own console, where these requests come from. */
const LOCAL = { seat: 'local', address: '127.0.0.1' };

const goodSector = {
  id: 'S07',
  name: 'Gravelines',
  risk: 'high',
  order: 7,
  ring: [
    [2.1, 51.0],
    [2.12, 51.0],
    [2.12, 51.01],
    [2.1, 51.0],
  ],
};

describe('contract validation', () => {
  test('accepts a well-formed sector and rejects bad ones with a reason', () => {
    assert.ok(Sector.safeParse(goodSector).success);
    const cases: [unknown, RegExp][] = [
      [{ ...goodSector, risk: 'extreme' }, /risk/],
      [{ ...goodSector, id: 'sector-7' }, /id/],
      [
        {
          ...goodSector,
          ring: [
            [200, 51],
            [2, 51],
            [2, 52],
            [200, 51],
          ],
        },
        /ring/,
      ],
      [
        {
          ...goodSector,
          ring: [
            [2, 51],
            [2, 52],
          ],
        },
        /ring/,
      ],
      [{ ...goodSector, order: 1.5 }, /order/],
    ];
    for (const [value, field] of cases) {
      const result = Sector.safeParse(value);
      assert.equal(result.success, false, JSON.stringify(value));
      assert.match(result.error!.issues.map((issue) => issue.path.join('.')).join(' '), field);
    }
  });

  test('request params are strict: unknown fields and wrong types are refused', () => {
    assert.ok(requests['log.tail'].params.safeParse({ limit: 50 }).success);
    assert.equal(requests['log.tail'].params.safeParse({ limit: 0 }).success, false);
    assert.equal(requests['log.tail'].params.safeParse({ limit: '50' }).success, false);
    assert.equal(requests['log.tail'].params.safeParse({ limit: 50, extra: true }).success, false);
    assert.equal(requests['picture.get'].params.safeParse({ sneaky: 1 }).success, false);
  });

  test('wire frames and pushed events are checked on arrival', () => {
    assert.ok(RequestFrame.safeParse({ type: 'request', id: 1, method: 'core.hello', params: {} }).success);
    assert.equal(RequestFrame.safeParse({ type: 'request', id: -1, method: 'core.hello' }).success, false);
    assert.equal(ServerFrame.safeParse({ type: 'response', id: 1, ok: false, error: { code: 'nope', message: 'x' } }).success, false);
    assert.equal(
      events['log.appended'].safeParse({ fromSeq: 1, toSeq: 2, kinds: ['a'], status: { events: 2, lastSeq: 2, blocks: 1, headHash: 'zz' } }).success,
      false,
    );
  });

  test('a request is refused for bad params, unknown methods, and results outside the contract', async () => {
    const handlers = {
      'core.hello': () => ({ product: 'vigie', version: '1', protocol: 1, startedAt: 0 }),
      'picture.get': () => ({ sectors: [{ ...goodSector, risk: 'extreme' }], log: { events: 0, lastSeq: 0, blocks: 0, headHash: '0'.repeat(64) } }),
      'log.tail': ({ limit }: { limit: number }) => ({ events: [] as never[], limit }),
    } as unknown as Handlers;
    const open = () => ({ ok: true as const, caller: null });
    assert.deepEqual(await runRequest(handlers, 'core.hello', {}, silentLogger, open, undefined, LOCAL), {
      ok: true,
      result: { product: 'vigie', version: '1', protocol: 1, startedAt: 0 },
    });
    const bad = await runRequest(handlers, 'log.tail', { limit: 9999 }, silentLogger, open, undefined, LOCAL);
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.code, 'bad-request');
    assert.match(!bad.ok ? bad.error.message : '', /params\.limit/);
    const unknown = await runRequest(handlers, 'drop.tables', {}, silentLogger, open, undefined, LOCAL);
    assert.equal(!unknown.ok && unknown.error.code, 'unknown-method');
    const broken = await runRequest(handlers, 'picture.get', {}, silentLogger, open, undefined, LOCAL);
    assert.equal(!broken.ok && broken.error.code, 'internal');
    // Refused by access control: the handler never runs.
    let ran = false;
    const watched = { 'core.hello': () => ((ran = true), { product: 'vigie', version: '1', protocol: 1, startedAt: 0 }) } as unknown as Handlers;
    const no = { code: 'forbidden', reason: 'forbidden-for-role', params: { role: 'auditor', method: 'core.hello' }, message: 'no' } as const;
    const denied = await runRequest(watched, 'core.hello', {}, silentLogger, () => ({ ok: false, error: no }), undefined, LOCAL);
    assert.deepEqual(denied, { ok: false, error: no });
    assert.equal(ran, false);
  });

  test('every error carries a reason code and its params beside the English message', async () => {
    const open = () => ({ ok: true as const, caller: null });
    const committed = {
      'core.hello': () => {
        throw new Refusal('unit-committed', { unit: 'Alpha 3', incident: 'I00002' }, 'Alpha 3 is committed to I00002; assign with override to send it anyway');
      },
    } as unknown as Handlers;
    assert.deepEqual(await runRequest(committed, 'core.hello', {}, silentLogger, open, undefined, LOCAL), {
      ok: false,
      error: {
        code: 'refused',
        reason: 'unit-committed',
        params: { unit: 'Alpha 3', incident: 'I00002' },
        message: 'Alpha 3 is committed to I00002; assign with override to send it anyway',
      },
    });
    const unknown = await runRequest({} as Handlers, 'drop.tables', {}, silentLogger, open, undefined, LOCAL);
    assert.deepEqual(!unknown.ok && [unknown.error.reason, unknown.error.params], ['unknown-method', { method: 'drop.tables' }]);
    const bad = await runRequest({} as Handlers, 'log.tail', { limit: 0 }, silentLogger, open, undefined, LOCAL);
    assert.equal(!bad.ok && bad.error.reason, 'bad-request');
    // A plain Error is a fault of the core, not a refusal: its text stays in the core's log.
    const faulty = {
      'core.hello': () => {
        throw new Error('secret detail');
      },
    } as unknown as Handlers;
    const fault = await runRequest(faulty, 'core.hello', {}, silentLogger, open, undefined, LOCAL);
    assert.deepEqual(!fault.ok && fault.error, {
      code: 'internal',
      reason: 'internal-error',
      params: { method: 'core.hello' },
      message: 'core.hello failed inside the core',
    });
    // A denied role is logged before the answer: when the log cannot be written, the caller is told so (it threw out of the request before).
    const stalled = await runRequest(
      {} as Handlers,
      'core.hello',
      {},
      silentLogger,
      () => {
        throw new Refusal('storage-unavailable', { problem: 'disk-full' }, 'the log cannot be written: the disk is full');
      },
      undefined,
      LOCAL,
    );
    assert.deepEqual(!stalled.ok && [stalled.error.code, stalled.error.reason, stalled.error.params], [
      'refused',
      'storage-unavailable',
      { problem: 'disk-full' },
    ]);
    // A whole import's problems can run to pages: the params are cut to what the contract carries, so a console can still word them.
    const long = new Refusal('sector-import-invalid', { count: 40, detail: 'x'.repeat(2500) }, 'import refused');
    assert.equal(long.params.detail.length, 2000);
    assert.ok(long.params.detail.endsWith('…'));
    assert.equal(refusalParams['sector-import-invalid'].safeParse(long.params).success, true);
    // A reason this console does not know (a newer core) still arrives, so the request is answered: the console shows the English message.
    assert.equal(
      ServerFrame.safeParse({ type: 'response', id: 1, ok: false, error: { code: 'refused', reason: 'added-later', params: {}, message: 'x' } }).success,
      true,
    );
  });
});

describe('shared helpers', () => {
  test('canonical JSON sorts keys at every depth and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.throws(() => canonicalJson({ x: Number.NaN }), /non-finite/);
    // Out of order and not finite: the slow path checks too.
    assert.throws(() => canonicalJson({ b: 1, a: Number.POSITIVE_INFINITY }), /non-finite/);
    // An own __proto__ member (as JSON.parse makes) is kept, whatever the input order.
    const hostile = JSON.parse('{"z":1,"__proto__":{"polluted":true}}') as object;
    assert.equal(canonicalJson(hostile), '{"__proto__":{"polluted":true},"z":1}');
    assert.equal(canonicalJson(JSON.parse('{"__proto__":{"polluted":true},"z":1}')), '{"__proto__":{"polluted":true},"z":1}');
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
    assert.deepEqual(encodeCanonical({ a: 1, b: [1, 2] }), { text: '{"a":1,"b":[1,2]}', exact: true });
    assert.equal(encodeCanonical({ a: [undefined] }).exact, false);
    assert.equal(encodeCanonical({ a: -0 }).exact, false);
    assert.equal(encodeCanonical({ when: new Date(0) }).exact, false);
  });

  test('canonical JSON is RFC 8785 (JCS): keys by UTF-16 code units, integer-like ones included', () => {
    // JS enumerates integer-like keys first, ascending; JCS sorts them as strings.
    assert.deepEqual(encodeCanonical({ 9: 2, 10: 1 }), { text: '{"10":1,"9":2}', exact: false });
    assert.equal(canonicalJson({ b: { 10: 1, 9: 2, a: 3 }, a: [{ 2: 0, 11: 0 }] }), '{"a":[{"11":0,"2":0}],"b":{"10":1,"9":2,"a":3}}');
    // Already in order whichever way they are enumerated: the fast path may keep them.
    assert.deepEqual(encodeCanonical({ 1: 'x', 2: 'y', a: 'z' }), { text: '{"1":"x","2":"y","a":"z"}', exact: true });
    assert.deepEqual(encodeCanonical({ 2: 'x', '!': 'y' }), { text: '{"!":"y","2":"x"}', exact: false });
    // RFC 8785 §3.2.3, sorting of object properties.
    const sorting = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    ) as object;
    assert.equal(
      canonicalJson(sorting),
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // RFC 8785 §3.2.2, serialisation of primitives (the §3.2.4 example input).
    const primitives = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as object;
    assert.equal(
      canonicalJson(primitives),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    // RFC 8785 appendix B, numbers by their IEEE 754 bits (NaN and Infinity are refused above).
    const numbers: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of numbers) {
      const value = Buffer.from(bits, 'hex').readDoubleBE(0);
      assert.equal(canonicalJson(value), text, bits);
      // Behind an integer-like key too, so the slow path writes the number.
      assert.equal(canonicalJson({ 10: value, 9: 0 }), `{"10":${text},"9":0}`, bits);
    }
  });

  test('degrees-minutes formatting', () => {
    assert.equal(formatDegreesMinutes(50.95, 1.8575), '50°57.000′N 001°51.450′E');
    assert.equal(formatDegreesMinutes(50.9999999, -0.5), '51°00.000′N 000°30.000′W');
  });
});
