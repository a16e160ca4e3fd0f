// SIGKILL during heavy feed traffic, 20 times (issue 7, "Crashes and faults").
//
// A real `vigie serve` on one data directory; a separate sender process
// offers ~20,000 messages/s (10,000 JSON lines + 10,000 NMEA TTM sentences,
// two TCP connections); at a seeded random moment the core is SIGKILLed, then
// restarted. After every restart:
//
// 1. `vigie verify` passes (the hash chain, every row's form).
// 2. Every message whose commit was *reported* is there. "Reported" is what
//    the core itself told a console: the `log.appended` push on a signed-in
//    console WebSocket, whose `status` gives the newest committed block
//    (number and hash). The core sends it only after the block's transaction
//    has returned (EventLog.onAppended runs after commit), and every push
//    received — even one still in flight when the kill lands — counts. After
//    the restart, that block must be in the log with that very hash: the
//    chain links it to every earlier event, so each of them is there byte for
//    byte. Feed counters (`feeds.status` accepted) are NOT a commit report:
//    a message is counted when accepted into the queue, before its block
//    commits, so a kill may rightly lose it.
//    On top of that, per message: every message carries a number that comes
//    back in its event (loadSender.mjs), and for each stream of each cycle the
//    numbers in the log must be exactly first, first+1, …, first+n−1 in seq
//    order — no gap, no duplicate, no reordering (a lost message in the
//    middle of what survived would show here even if the chain were intact).
// 3. The projections equal a rebuild from the log: `picture.get` of the
//    restarted core (read back from its projection tables) against a
//    LivePicture and the sector projector fed every event of the log up to
//    the same seq, over a fresh in-memory database (openMemoryDatabase).
//
// Seeded: VIGIE_CRASH_SEED=<n> replays the same kill moments.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { LogStatus } from '../../shared/contract';
import { databasePath, openMemoryDatabase, type Db } from '../../electron/core/db/database';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { chainHeadAt } from '../../electron/core/log/verify';
import type { StoredEvent } from '../../electron/core/log/hashChain';
import { LivePicture } from '../../electron/core/picture/livePicture';
import { loadSectors, sectorProjector } from '../../electron/core/picture/sectors';
import { addDutyAccount, openConsole, seeded, startServe, vigie, writeFastSite, type Serve } from './harness';

const SEED = Number(process.env.VIGIE_CRASH_SEED ?? 20261127);
const CYCLES = 20;
/** Offered load, messages per second, both streams together. */
const RATE = 20_000;
/** The kill lands this long after the first feed block was reported committed (uniform, seeded). */
const KILL_AFTER_MS = [300, 1500] as const;
/** Numbers reserved per cycle and stream (a cycle sends far fewer). */
const PER_CYCLE = 200_000;
const JSON_EPOCH = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;
const tag = `(seed ${SEED}; rerun with VIGIE_CRASH_SEED=${SEED})`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-crash-'));
const dataDir = path.join(root, 'data');
const children = new Set<Serve>();
after(() => {
  for (const serve of children) serve.child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

type Stream = 'json' | 'nmea';

/** The message number an event carries, or undefined for events that are not this test's feed messages. */
function messageNumber(event: StoredEvent, todBase: number): { stream: Stream; n: number } | undefined {
  if (event.kind !== 'track.update') return undefined;
  const p = JSON.parse(event.payload) as { at?: number; t: string };
  if (p.at === undefined) return undefined;
  if (event.source === 'json:RAD-GRISNEZ') return { stream: 'json', n: p.at - JSON_EPOCH };
  if (event.source === 'nmea:RAD-GRISNEZ') {
    const k = ((((p.at - todBase) % DAY) + DAY) % DAY) / 10;
    // The target number is k mod 100: a second, independent witness of the decoding.
    assert.equal(p.t, `RAD-GRISNEZ:${k % 100}`, `NMEA event ${event.seq} does not decode consistently`);
    return { stream: 'nmea', n: k };
  }
  return undefined;
}

/** The replayed picture, fed incrementally: the log is append-only and its old blocks are checked to be unchanged. */
class Rebuild {
  readonly db: Db = openMemoryDatabase();
  readonly picture = new LivePicture(this.db);
  private readonly sectors = sectorProjector(this.db);
  seq = 0;

  feed(events: StoredEvent[]): void {
    if (events.length === 0) return;
    this.db.transaction(() => {
      this.sectors(events);
      this.picture.project(events);
    })();
    this.seq = events[events.length - 1]!.seq;
  }

  view(): unknown {
    return normalise({ sectors: loadSectors(this.db), ...this.picture.snapshot() });
  }
}

/** Same content whatever the order of the lists, and as JSON carries it. */
function normalise(picture: object): unknown {
  const copy = JSON.parse(JSON.stringify(picture)) as Record<string, { id: string }[]>;
  for (const list of Object.values(copy)) if (Array.isArray(list)) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return copy;
}

test(
  `SIGKILL at random moments under ~${RATE} msg/s, ${CYCLES} times: the chain verifies, reported commits survive, projections equal a rebuild ${tag}`,
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const random = seeded(SEED);
    const siteFile = writeFastSite(root);
    await addDutyAccount(dataDir);
    // NMEA times of day start 6 h in the past, so every sentence's `at` is kept (≥ 1 s from receipt).
    const todBase = Math.floor(((((Date.now() - 6 * 3_600_000) % DAY) + DAY) % DAY) / 10) * 10;
    const rebuild = new Rebuild();
    const reader = () => new Database(databasePath(dataDir), { readonly: true });
    /** Per cycle and stream: the numbers found in the log, in seq order. */
    const found = new Map<string, number[]>();
    let readSeq = 0;
    let committedFeed = 0;
    let trafficMs = 0;
    const killedAt: number[] = [];
    const timings: string[] = [];

    let serve = await startServe(dataDir, siteFile);
    children.add(serve);

    for (let cycle = 0; cycle <= CYCLES; cycle++) {
      const t0 = Date.now();
      // --- after a (re)start: checks ---------------------------------------
      const session = await serve.signIn();
      const verified = vigie(['verify', '--data', dataDir]);
      const picture = await serve.api<{ log: LogStatus } & Record<string, unknown>>('picture.get', {}, session);
      const { log: status, ...view } = picture;

      const db = reader();
      try {
        // Everything the log holds up to what picture.get reflects: into the rebuild and the per-message bookkeeping.
        let chunk: StoredEvent[] = [];
        for (const event of iterateEvents(db, { afterSeq: readSeq })) {
          if (event.seq > status.lastSeq) break;
          const number = messageNumber(event, todBase);
          if (number) {
            const key = `${Math.floor(number.n / PER_CYCLE)}/${number.stream}`;
            let list = found.get(key);
            if (!list) found.set(key, (list = []));
            list.push(number.n);
            committedFeed += 1;
          }
          chunk.push(event);
          if (chunk.length === 2000) {
            rebuild.feed(chunk);
            chunk = [];
          }
        }
        rebuild.feed(chunk);
        readSeq = status.lastSeq;
        assert.equal(rebuild.seq, status.lastSeq, `cycle ${cycle}: the log ends before the seq picture.get reports ${tag}`);
      } finally {
        db.close();
      }
      // 3. Projections (as the restarted core read them back) equal the rebuild from the log.
      assert.deepEqual(
        normalise({ sectors: view.sectors, sensors: view.sensors, units: view.units, tracks: view.tracks, alerts: view.alerts, incidents: view.incidents }),
        rebuild.view(),
        `cycle ${cycle}: picture.get differs from a rebuild from the log ${tag}`,
      );
      // 1. The chain verifies.
      const verify = await verified;
      assert.equal(verify.status, 0, `cycle ${cycle}: vigie verify failed ${tag}:\n${verify.stdout}${verify.stderr}`);
      assert.match(verify.stdout, /^ok: \d+ events/);
      // 2b. Per message: each stream of the previous cycle is a gap-free prefix of what was sent.
      if (cycle > 0) {
        const previous = cycle - 1;
        for (const stream of ['json', 'nmea'] as const) {
          const numbers = found.get(`${previous}/${stream}`) ?? [];
          numbers.forEach((n, index) =>
            assert.equal(
              n,
              previous * PER_CYCLE + index,
              `cycle ${previous}, ${stream}: message ${previous * PER_CYCLE + index} is missing, duplicated or out of order (found ${n}) ${tag}`,
            ),
          );
        }
      }
      if (cycle === CYCLES) break;
      const checkedMs = Date.now() - t0;

      // --- traffic, then SIGKILL --------------------------------------------
      let reported: LogStatus | undefined;
      let flowing: () => void = () => undefined;
      const trafficFlowing = new Promise<void>((resolve) => (flowing = resolve));
      const consoleWs = await openConsole(serve, session, (name, payload) => {
        if (name !== 'log.appended') return;
        const appended = payload as { status: LogStatus; kinds: string[] };
        reported = appended.status;
        if (appended.kinds.includes('track.update')) flowing();
      });
      const jsonPort = await serve.feedPort('json', 'tcp');
      const nmeaPort = await serve.feedPort('nmea', 'tcp', 'RAD-GRISNEZ');
      const sender = spawn(
        process.execPath,
        [
          path.join(__dirname, 'loadSender.mjs'),
          String(jsonPort),
          String(nmeaPort),
          String(RATE),
          String(cycle * PER_CYCLE),
          String(cycle * PER_CYCLE),
          String(todBase),
        ],
        { stdio: 'ignore' },
      );
      const senderGone = new Promise((resolve) => sender.once('exit', resolve));
      const killAfter = Math.round(KILL_AFTER_MS[0] + random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]));
      killedAt.push(killAfter);
      // The kill is timed from the first committed feed block, so it always lands in full traffic (a loaded machine starts the sender slowly).
      const traffic = Date.now();
      await Promise.race([trafficFlowing, senderGone.then(() => assert.fail(`cycle ${cycle}: the sender stopped before any feed block was committed ${tag}`))]);
      const warmUp = Date.now() - traffic;
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      serve.child.kill('SIGKILL');
      const gone = await serve.exited;
      assert.equal(gone.signal, 'SIGKILL', `cycle ${cycle}: the core ended on its own before the kill ${tag}:\n${serve.stderr()}`);
      children.delete(serve);
      // Pushes already on their way still count as reports: read until the socket closes.
      await consoleWs.closed;
      await senderGone;
      trafficMs += killAfter + warmUp;
      assert.ok(reported, `cycle ${cycle}: no log.appended push ${tag}`);

      // --- restart ------------------------------------------------------------
      const t1 = Date.now();
      serve = await startServe(dataDir, siteFile);
      children.add(serve);
      const restartMs = Date.now() - t1;

      // 2a. The reported head is in the log with the reported hash (so everything before it is too).
      // Its block may have been extended by later commits (schema 7): the head is checked as that block's prefix.
      const check = reader();
      try {
        const head = chainHeadAt(check, reported.lastSeq);
        assert.ok(head, `cycle ${cycle}: event ${reported.lastSeq}, reported committed, is gone after the restart ${tag}`);
        assert.equal(head.block, reported.blocks, `cycle ${cycle}: event ${reported.lastSeq} is no longer in block ${reported.blocks} ${tag}`);
        assert.equal(head.hash, reported.headHash, `cycle ${cycle}: the head at ${reported.lastSeq} changed after the restart ${tag}`);
      } finally {
        check.close();
      }
      timings.push(`${checkedMs}+${warmUp}+${killAfter}+${restartMs}`);
    }

    // The test did what it says: real traffic was committed and killed in every cycle.
    const perCycle = Array.from({ length: CYCLES }, (_, c) => (found.get(`${c}/json`)?.length ?? 0) + (found.get(`${c}/nmea`)?.length ?? 0));
    assert.ok(
      perCycle.every((n) => n > 0),
      `every cycle committed feed messages before its kill: ${perCycle.join(', ')} ${tag}`,
    );
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `# crash test ${tag}: ${CYCLES} kills after ${killedAt.join(', ')} ms of traffic; ${committedFeed} feed messages committed ` +
        `(${Math.round(committedFeed / (trafficMs / 1000))}/s over ${(trafficMs / 1000).toFixed(1)} s of traffic; per cycle ${perCycle.join(', ')}); ` +
        `${seconds.toFixed(1)} s in all; per cycle check+warm-up+traffic+restart ms: ${timings.join(' ')}\n`,
    );
    await serve.api('core.hello');
    serve.child.kill('SIGTERM');
    await serve.exited;
    children.delete(serve);
  },
);
