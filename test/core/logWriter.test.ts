// The log writer on its own, over a real EventLog with storage faults
// injected: group commit, operator actions after the queued feed work, the
// waiting block kept exactly as derived and committed first when storage
// returns, actions refused meanwhile (and told so), congestion, and recovery
// one by one.
// (test/faults/diskFull.test.ts does the same against a real full disk.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { openMemoryDatabase } from '../../electron/core/db/database';
import { logEvent, type LogEvent } from '../../electron/core/log/eventCatalogue';
import { EventLog, readEvents, type NewEvent } from '../../electron/core/log/eventLog';
import { LogWriter, STORAGE_RETRY_MS, StorageUnavailableError, storageProblem, type QueuedWork } from '../../electron/core/log/logWriter';
import { silentLogger, type Logger } from '../../electron/core/logger';
import { runRequest } from '../../electron/core/server/runRequest';
import type { Handlers } from '../../electron/core/server/handlers';

const T0 = Date.UTC(2026, 10, 26, 22, 0, 0);

function sqliteError(code: string): Error {
  return Object.assign(new Error(code === 'SQLITE_FULL' ? 'database or disk is full' : 'database is locked'), { code });
}

function setup(options: { maxBlock?: number; blockMs?: number; highWater?: number; lowWater?: number } = {}) {
  const db = openMemoryDatabase();
  const clock = new ManualClock(T0);
  const log = new EventLog(db, clock);
  /** The next appends throw this storage error until cleared. */
  let fault: string | undefined;
  /** The next appends throw these errors, one each, before `fault` applies. */
  const once: string[] = [];
  const appended: number[] = [];
  const faulty = {
    append(events: readonly NewEvent[]) {
      const code = once.shift() ?? fault;
      if (code) throw sqliteError(code);
      const block = log.append(events);
      appended.push(block.events.length);
      return block;
    },
  };
  let reloads = 0;
  const lines: string[] = [];
  const logger: Logger = { debug() {}, info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
  const writer = new LogWriter({ log: faulty, picture: { reload: () => void reloads++ }, clock, logger, ...options });
  const congestion: boolean[] = [];
  writer.onCongestion((congested) => congestion.push(congested));
  const committed: number[] = [];
  writer.onCommitted((latencies, count) => {
    assert.equal(latencies.length, count);
    committed.push(count);
  });
  const derived = new Map<string, number>();
  const unloggable: string[] = [];
  /** One feed message: a heartbeat of sensor `s`, derived when its block is cut. */
  const work = (s: string, extra?: LogEvent): QueuedWork => ({
    hr: performance.now(),
    derive(out) {
      derived.set(s, (derived.get(s) ?? 0) + 1);
      out.push(logEvent('sensor.heartbeat', `json:${s}`, { s }));
      if (extra) out.push(extra);
    },
    unloggable: () => void unloggable.push(s),
  });
  /** The log, as `kind:sensor` (or `kind:muted`). */
  const kinds = () =>
    readEvents(db).map((event) => {
      const p = JSON.parse(event.payload) as { s?: string; muted?: boolean };
      return `${event.kind}:${p.s ?? String(p.muted)}`;
    });
  return {
    db,
    writer,
    work,
    kinds,
    derived,
    unloggable,
    congestion,
    committed,
    appended,
    lines,
    reloads: () => reloads,
    setFault: (code: string | undefined) => (fault = code),
    failNext: (...codes: string[]) => once.push(...codes),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const muted = (value: boolean) => ({ ...logEvent('console.muted', 'console', { muted: value }), operator: 'martin' });

describe('log writer', () => {
  test('what arrives in one turn of the event loop is one block (group commit); blocks are at most maxBlock', async () => {
    const t = setup({ maxBlock: 3 });
    for (const s of ['A', 'B', 'C', 'D', 'E']) t.writer.enqueue(t.work(s));
    assert.equal(t.writer.queued, 5);
    assert.deepEqual(t.kinds(), [], 'nothing is committed before the event loop turns');
    await tick();
    await tick();
    assert.deepEqual(t.appended, [3, 2]);
    assert.deepEqual(t.committed, [3, 2]);
    assert.equal(t.writer.queued, 0);
  });

  test("urgent work is cut ahead of other sources' queued work, never ahead of its own source's", async () => {
    const t = setup({ maxBlock: 2 });
    const from = (s: string, source: string, urgent = false): QueuedWork => ({ ...t.work(s), source, urgent });
    for (const s of ['R1', 'R2', 'R3', 'R4']) t.writer.enqueue(from(s, 'nmea/udp/10.0.0.5'));
    await tick();
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:R1', 'sensor.heartbeat:R2']);
    // A camera's detection arrives behind the radar's backlog; so does an urgent message of the radar itself.
    t.writer.enqueue(from('C1', 'json/tcp/10.0.0.9:4100', true));
    t.writer.enqueue(from('RX', 'nmea/udp/10.0.0.5', true));
    assert.equal(t.writer.queued, 4);
    await tick();
    assert.deepEqual(t.kinds().slice(2), ['sensor.heartbeat:C1'], 'the camera goes next, in a block of its own');
    await tick();
    await tick();
    assert.deepEqual(t.kinds().slice(3), ['sensor.heartbeat:R3', 'sensor.heartbeat:R4', 'sensor.heartbeat:RX'], 'the radar keeps its own order');
    assert.deepEqual(t.appended, [2, 1, 2, 1]);
    assert.equal(t.writer.queued, 0);
  });

  test('a block stops deriving after blockMs (looked at every 32 messages)', async () => {
    const t = setup({ blockMs: 0 });
    for (let i = 0; i < 100; i++) t.writer.enqueue(t.work(`S${i}`));
    t.writer.flushNow();
    assert.deepEqual(t.appended, [32, 32, 32, 4]);
    assert.deepEqual(
      t.kinds(),
      Array.from({ length: 100 }, (_, i) => `sensor.heartbeat:S${i}`),
      'in arrival order',
    );
  });

  test('work whose derivation throws is dropped with its block and reported, never cut again', async () => {
    const t = setup();
    let attempts = 0;
    t.writer.enqueue(t.work('A'));
    t.writer.enqueue({ ...t.work('BAD'), derive: () => void (attempts++, assert.fail('a bug in derivation')) });
    t.writer.enqueue(t.work('C'));
    await tick();
    await tick();
    await tick();
    assert.equal(attempts, 1);
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:C'], 'the block with the bad work is lost (as before); what follows it is committed');
    assert.ok(t.lines.some((line) => line.startsWith('ERROR log commit failed')));
    assert.equal(t.writer.queued, 0);
  });

  test('work that starts a block reads the picture with everything queued before it committed', () => {
    const t = setup();
    let committedBefore = -1;
    t.writer.enqueue(t.work('A'));
    t.writer.enqueue(t.work('B'));
    t.writer.enqueue({ ...t.work('CHECK'), startsBlock: true, derive: (out) => ((committedBefore = t.kinds().length), t.work('CHECK').derive(out)) });
    t.writer.enqueue(t.work('C'));
    t.writer.flushNow();
    assert.equal(committedBefore, 2);
    assert.deepEqual(t.appended, [2, 2], 'cut before it; what follows it shares its block');
    assert.deepEqual(t.committed, [2, 1], 'a check is not a received message: no receipt-to-commit latency');
  });

  test('congestion holds back only the sources with work still queued, and every source while storage is missing', async () => {
    const t = setup({ highWater: 3, lowWater: 1 });
    for (const s of ['R1', 'R2', 'R3']) t.writer.enqueue({ ...t.work(s), source: 'radar' });
    assert.deepEqual(t.congestion, [true]);
    assert.equal(t.writer.holds('radar'), true);
    assert.equal(t.writer.holds('camera'), false, 'a quiet camera is not what fills the queue');
    await tick();
    assert.equal(t.writer.holds('radar'), false);
    t.setFault('SQLITE_FULL');
    t.writer.enqueue({ ...t.work('R4'), source: 'radar' });
    await tick();
    assert.equal(t.writer.storageProblem, 'disk-full');
    assert.equal(t.writer.holds('camera'), true, 'nothing can be logged: every source waits');
  });

  test('an operator action commits the feed work queued before it first, synchronously', () => {
    const t = setup();
    t.writer.enqueue(t.work('A'));
    t.writer.enqueue(t.work('B'));
    t.writer.append([muted(true)]);
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:A', 'sensor.heartbeat:B', 'console.muted:true']);
    assert.deepEqual(t.appended, [2, 1], 'the queue is one block, the action its own');
    assert.equal(readEvents(t.db).at(-1)!.operator, 'martin');
  });

  test('disk full: the block waits as derived, nothing overtakes it, actions are refused, ingest is congested; storage back: it goes first', async () => {
    const t = setup({ highWater: 1000, lowWater: 10 });
    t.writer.enqueue(t.work('A'));
    t.writer.append([muted(true)]);
    t.setFault('SQLITE_FULL');
    t.writer.enqueue(t.work('B', logEvent('alert.raised', 'json:B', { id: 'A00001', kind: 'boat-launch', s: 'B', sev: 'high' })));
    t.writer.enqueue(t.work('C'));
    await tick();
    assert.equal(t.writer.storageProblem, 'disk-full');
    assert.deepEqual(t.congestion, [true], 'ingest paused');
    assert.equal(t.reloads(), 1, 'the picture is read back after the rolled-back block');
    assert.match(
      t.lines.join('\n'),
      /ERROR disk full: the log cannot be written \(database or disk is full\); feed ingest paused .* 2 messages waiting; retrying every 500 ms/,
    );

    // Meanwhile: more feed work waits behind the block, UDP refusals are counted, actions are refused.
    t.writer.enqueue(t.work('D'));
    t.writer.countRefused();
    t.writer.countRefused();
    assert.deepEqual(t.writer.storage, { problem: 'disk-full', since: T0, waiting: 3, refused: 2 });
    assert.throws(
      () => t.writer.append([muted(false)]),
      (error: unknown) =>
        error instanceof StorageUnavailableError && error.problem === 'disk-full' && /disk is full \(feed ingest paused\)/.test(error.message),
    );
    await new Promise((resolve) => setTimeout(resolve, STORAGE_RETRY_MS * 2.5));
    assert.equal(t.writer.storageProblem, 'disk-full', 'still waiting');
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:A', 'console.muted:true']);

    // Space returns: the retry commits the waiting block first, as it was derived, then the rest.
    t.setFault(undefined);
    await new Promise((resolve) => setTimeout(resolve, STORAGE_RETRY_MS * 1.5));
    await tick();
    assert.equal(t.writer.storageProblem, null);
    assert.deepEqual(t.kinds(), [
      'sensor.heartbeat:A',
      'console.muted:true',
      'sensor.heartbeat:B',
      'alert.raised:B',
      'sensor.heartbeat:C',
      'sensor.heartbeat:D',
    ]);
    assert.deepEqual(
      [...t.derived.entries()],
      [
        ['A', 1],
        ['B', 1],
        ['C', 1],
        ['D', 1],
      ],
      'each message derived once, its alert numbered once',
    );
    assert.deepEqual(t.congestion, [true, false], 'ingest resumed');
    assert.deepEqual(t.writer.storage, { problem: null, since: null, waiting: 0, refused: 2 });
    assert.match(t.lines.join('\n'), /WARN the log can be written again \(disk-full for [\d.]+ s\): feed ingest resumed; 2 UDP datagrams refused so far/);
    t.writer.append([muted(false)]);
    assert.equal(t.kinds().at(-1), 'console.muted:false');
    t.writer.close();
  });

  test('an action that itself finds the database locked is refused as storage unavailable; nothing waits', () => {
    const t = setup();
    t.setFault('SQLITE_BUSY');
    assert.throws(
      () => t.writer.append([muted(true)]),
      (error: unknown) => error instanceof StorageUnavailableError && error.problem === 'locked' && !/paused/.test(error.message),
    );
    assert.equal(t.reloads(), 1);
    assert.equal(t.writer.storageProblem, null);
    t.setFault(undefined);
    t.writer.append([muted(true)]);
    assert.deepEqual(t.kinds(), ['console.muted:true']);
  });

  test('a block that fails for another reason is committed message by message; the bad one is handed back', async () => {
    const t = setup();
    t.writer.enqueue(t.work('A'));
    // An event the log refuses (a kind name with a space): its message alone fails.
    t.writer.enqueue(t.work('B', { kind: 'not a kind', source: 'json:B', payload: {} } as unknown as LogEvent));
    t.writer.enqueue(t.work('C'));
    await tick();
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:A', 'sensor.heartbeat:C']);
    assert.deepEqual(t.unloggable, ['B']);
    assert.deepEqual([...t.derived.values()], [1, 1, 1], 'not derived again');
    assert.match(t.lines.join('\n'), /log block of 3 messages rolled back .*retrying one by one/);
  });

  test('a waiting block that then fails for another reason is recovered message by message, and ingest resumes', async () => {
    const t = setup({ highWater: 1000, lowWater: 10 });
    t.failNext('SQLITE_FULL', 'SQLITE_CORRUPT');
    t.writer.enqueue(t.work('A'));
    t.writer.enqueue(t.work('B'));
    await tick();
    assert.equal(t.writer.storageProblem, 'disk-full');
    await new Promise((resolve) => setTimeout(resolve, STORAGE_RETRY_MS * 1.5));
    assert.equal(t.writer.storageProblem, null);
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:A', 'sensor.heartbeat:B']);
    assert.deepEqual(t.appended, [1, 1], 'one by one');
    assert.deepEqual(t.unloggable, []);
    assert.deepEqual(t.congestion, [true, false]);
    assert.match(t.lines.join('\n'), /WARN the log can be written again \(disk-full for [\d.]+ s\): feed ingest resumed/);
  });

  test('storage lost in the middle of a recovery: the rest of the block waits for it, as derived', async () => {
    const t = setup({ highWater: 1000, lowWater: 10 });
    // The block of A, B, C fails (not for storage); A alone fails too (quarantined); B alone finds the disk full: B and C wait.
    t.failNext('SQLITE_CORRUPT', 'SQLITE_OK_BUT_NOT', 'SQLITE_FULL');
    for (const s of ['A', 'B', 'C']) t.writer.enqueue(t.work(s));
    await tick();
    assert.deepEqual(t.unloggable, ['A'], 'A was refused alone, for its own reason');
    assert.equal(t.writer.storageProblem, 'disk-full');
    assert.equal(t.writer.storage.waiting, 2);
    assert.deepEqual(t.kinds(), []);
    await new Promise((resolve) => setTimeout(resolve, STORAGE_RETRY_MS * 1.5));
    assert.equal(t.writer.storageProblem, null);
    assert.deepEqual(t.kinds(), ['sensor.heartbeat:B', 'sensor.heartbeat:C']);
    assert.deepEqual(t.appended, [2], 'the rest, as one block');
    assert.deepEqual([...t.derived.values()], [1, 1, 1], 'derived once');
  });

  test('congestion past the high-water mark, until the queue drains below the low one', async () => {
    const t = setup({ highWater: 4, lowWater: 1, maxBlock: 2 });
    for (const s of ['A', 'B', 'C', 'D']) t.writer.enqueue(t.work(s));
    assert.deepEqual(t.congestion, [true]);
    await tick();
    assert.deepEqual(t.congestion, [true], 'two still queued, above the low-water mark');
    await tick();
    assert.deepEqual(t.congestion, [true, false]);
  });

  test('an action refused for lack of storage reaches the console as a refusal that says why', async () => {
    const handlers = {
      'console.setMute': () => {
        throw new StorageUnavailableError('disk-full');
      },
    } as unknown as Handlers;
    const errors: string[] = [];
    const outcome = await runRequest(
      handlers,
      'console.setMute',
      { muted: true },
      { ...silentLogger, error: (m) => errors.push(m) },
      () => ({ ok: true, caller: null }),
      undefined,
      { seat: 'local', address: '127.0.0.1' },
    );
    assert.deepEqual(outcome, {
      ok: false,
      error: {
        code: 'refused',
        reason: 'storage-unavailable',
        params: { problem: 'disk-full' },
        message: 'the log cannot be written: the disk is full (feed ingest paused)',
      },
    });
    assert.deepEqual(errors, [], 'not reported as a fault of the core');
  });

  test('storage errors are told apart from bad blocks', () => {
    assert.equal(storageProblem(sqliteError('SQLITE_FULL')), 'disk-full');
    assert.equal(storageProblem(sqliteError('SQLITE_BUSY')), 'locked');
    assert.equal(storageProblem(sqliteError('SQLITE_LOCKED_SHAREDCACHE')), 'locked');
    assert.equal(storageProblem(sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY')), undefined);
    assert.equal(storageProblem(new Error('no code')), undefined);
  });

  test('append is typed by the event catalogue', () => {
    const t = setup();
    // Never run: the point is that these do not compile (npm run typecheck).
    const wrong = () => {
      // @ts-expect-error — not a kind of the catalogue
      t.writer.append([{ kind: 'console.unmuted', source: 'console', payload: { muted: false } }]);
      // @ts-expect-error — a payload of another kind
      t.writer.append([{ kind: 'console.muted', source: 'console', payload: { s: 'CAM-1' } }]);
      // @ts-expect-error — a member missing
      t.writer.append([logEvent('alert.escalated', 'core', {})]);
      // @ts-expect-error — a value of the wrong type
      t.writer.append([logEvent('sensor.silent', 'core', { s: 'CAM-1', lastSeen: 'never' })]);
    };
    assert.equal(typeof wrong, 'function');
  });
});
