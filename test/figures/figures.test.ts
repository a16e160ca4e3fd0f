// The evaluation figures (issue 5) against a fixture log whose every number
// was worked out by hand (the arithmetic is in the comments). The events are
// appended through the real EventLog with controlled times and read back
// through its public reader; one test goes through a running core's contract.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { Figures, requests } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { openDatabase, type Db } from '../../electron/core/db/database';
import { COMMITMENT_LOOKBACK_MS, computeFigures, figuresFromLog, nearestRank } from '../../electron/core/figures/figures';
import { csvField, figuresToCsv } from '../../electron/core/figures/figuresCsv';
import { EventLog, readEvents, toLoggedEvent, type NewEvent } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import type { EventKind, EventPayloads } from '../../electron/core/log/eventCatalogue';
import type { Site } from '../../shared/site';
import { tempDataDir } from '../helpers';

const MIN = 60_000;
/** 26 November 2026, 20:00 UTC: the range is [T0, T0 + 4 h). */
const T0 = Date.UTC(2026, 10, 26, 20, 0, 0);
const RANGE = { from: T0, to: T0 + 240 * MIN };

const ev = <K extends EventKind>(minute: number, kind: K, payload: EventPayloads[K]): NewEvent => ({
  kind,
  source: 'console',
  operator: 'local',
  payload,
  time: T0 + minute * MIN,
});
const raised = (minute: number, id: string, kind: EventPayloads['alert.raised']['kind'], sec?: string) =>
  ev(minute, 'alert.raised', { id, kind, sev: 'high', s: 'CAM-1', lat: 50.95, lon: 1.74, sec, conf: 0.9 });
const opened = (minute: number, id: string, alert: string) => [
  ev(minute, 'incident.opened', { id, alert, lat: 50.95, lon: 1.74 }),
  ev(minute, 'alert.acknowledged', { alert, inc: id }),
];
const assigned = (minute: number, a: string, u: string, inc: string) => ev(minute, 'dispatch.assigned', { a, u, inc, lat: 50.95, lon: 1.74, delivered: true });
const status = (minute: number, u: string, s: EventPayloads['unit.status']['status'], a?: string) =>
  ev(minute, 'unit.status', { u, status: s, a, by: 'console' });
const closed = (minute: number, inc: string, outcome: EventPayloads['incident.closed']['outcome']) =>
  ev(minute, 'incident.closed', { inc, outcome, notes: '' });

/** The fixture night, in log order; minutes from T0. */
const FIXTURE: NewEvent[] = [
  // Before the range: I00001 with U01 committed from −20; an alert raised at −5 is acknowledged at +3 (not counted).
  raised(-30, 'A00001', 'boat-launch', 'S07'),
  ...opened(-29, 'I00001', 'A00001'),
  assigned(-20, 'D00001', 'U01', 'I00001'),
  raised(-5, 'A00002', 'group-on-beach', 'S07'),
  ev(3, 'alert.acknowledged', { alert: 'A00002', inc: 'I00001', merged: 1 }),
  closed(15, 'I00001', 'intercepted-on-beach'),
  // On the range's first millisecond (counted).
  raised(0, 'A00003', 'boat-launch', 'S07'),
  ...opened(2, 'I00002', 'A00003'),
  assigned(5, 'D00002', 'U02', 'I00002'),
  status(6, 'U02', 'en-route', 'D00002'),
  status(17, 'U02', 'on-scene', 'D00002'),
  raised(20, 'A00004', 'vehicle', 'S08'),
  ev(21, 'alert.acknowledged', { alert: 'A00004', inc: 'I00002', merged: 1 }),
  assigned(30, 'D00003', 'U01', 'I00002'),
  // A status without an assignment id belongs to the unit's current assignment (D00003).
  status(40, 'U01', 'on-scene'),
  closed(60, 'I00002', 'launch-prevented'),
  raised(70, 'A00005', 'suspicious-activity'),
  raised(75, 'A00006', 'boat-at-sea', 'S08'),
  ...opened(85, 'I00003', 'A00006'),
  assigned(90, 'D00004', 'U02', 'I00003'),
  // Cleared before arriving: no arrival time.
  status(105, 'U02', 'cleared', 'D00004'),
  closed(120, 'I00003', 'handed-to-rescue'),
  raised(150, 'A00007', 'group-on-beach', 'S07'),
  ...opened(160, 'I00005', 'A00007'),
  // Closed without a unit sent.
  closed(170, 'I00005', 'false-alarm'),
  // Never acknowledged.
  raised(200, 'A00008', 'boat-launch', 'S07'),
  raised(210, 'A00009', 'boat-launch', 'S09'),
  ...opened(212, 'I00006', 'A00009'),
  assigned(220, 'D00006', 'U01', 'I00006'),
  // On the range's end (not counted): an alert, and U01's arrival.
  raised(240, 'A00010', 'boat-launch', 'S07'),
  status(240, 'U01', 'on-scene', 'D00006'),
  // After the range.
  closed(250, 'I00006', 'nothing-found'),
];

const ROSTER = [
  { id: 'U01', callsign: 'OPALE 01', type: '4x4' as const },
  { id: 'U02', callsign: 'OPALE 02', type: 'quad' as const },
  { id: 'U03', callsign: 'OPALE 03', type: 'boat' as const },
];
const SECTORS = new Map([
  ['S07', 'Sangatte, "Les Salines"'],
  ['S08', 'Blériot-Plage'],
  ['S09', 'Escalles'],
]);

/** Every number below is worked out by hand from FIXTURE. */
const EXPECTED: Figures = {
  from: T0,
  to: T0 + 240 * MIN,
  until: T0 + 240 * MIN,
  alerts: {
    // A00003, A00004, A00005, A00006, A00007, A00008, A00009 (A00001–2 before, A00010 at `to`).
    total: 7,
    byKind: [
      { kind: 'boat-launch', count: 3 }, // A00003, A00008, A00009
      { kind: 'boat-at-sea', count: 1 },
      { kind: 'group-on-beach', count: 1 },
      { kind: 'suspicious-activity', count: 1 },
      { kind: 'vehicle', count: 1 },
    ],
    bySector: [
      {
        sector: 'S07',
        name: 'Sangatte, "Les Salines"',
        total: 3,
        byKind: [
          { kind: 'boat-launch', count: 2 },
          { kind: 'group-on-beach', count: 1 },
        ],
      },
      {
        sector: 'S08',
        name: 'Blériot-Plage',
        total: 2,
        byKind: [
          { kind: 'boat-at-sea', count: 1 },
          { kind: 'vehicle', count: 1 },
        ],
      },
      { sector: 'S09', name: 'Escalles', total: 1, byKind: [{ kind: 'boat-launch', count: 1 }] },
      { sector: null, name: null, total: 1, byKind: [{ kind: 'suspicious-activity', count: 1 }] },
    ],
  },
  times: {
    // A00003 2−0 = 2 min, A00004 21−20 = 1 min, A00006 85−75 = 10 min, A00007 160−150 = 10 min, A00009 212−210 = 2 min
    // → sorted [60, 120, 120, 600, 600] s; median rank ⌈0.5×5⌉ = 3 → 120 s; p90 rank ⌈0.9×5⌉ = 5 → 600 s.
    // Incomplete: A00005 and A00008 never acknowledged.
    acknowledge: { count: 5, medianMs: 120_000, p90Ms: 600_000, incomplete: 2 },
    // I00002 5−2 = 3 min, I00003 90−85 = 5 min, I00006 220−212 = 8 min → [180, 300, 480] s;
    // median rank ⌈1.5⌉ = 2 → 300 s; p90 rank ⌈2.7⌉ = 3 → 480 s. Incomplete: I00005 (closed without a unit).
    dispatch: { count: 3, medianMs: 300_000, p90Ms: 480_000, incomplete: 1 },
    // D00002 17−5 = 12 min, D00003 40−30 = 10 min → [600, 720] s; median rank ⌈1⌉ = 1 → 600 s; p90 rank ⌈1.8⌉ = 2 → 720 s.
    // Incomplete: D00004 (cleared first), D00006 (on scene only at `to`).
    arrive: { count: 2, medianMs: 600_000, p90Ms: 720_000, incomplete: 2 },
  },
  incidents: {
    opened: 4, // I00002, I00003, I00005, I00006
    closed: 4, // I00001 (opened before), I00002, I00003, I00005
    stillOpen: 1, // I00006
    byOutcome: [
      { outcome: 'intercepted-on-beach', count: 1 },
      { outcome: 'launch-prevented', count: 1 },
      { outcome: 'handed-to-rescue', count: 1 },
      { outcome: 'false-alarm', count: 1 },
      { outcome: 'nothing-found', count: 0 },
    ],
    interceptedOrPrevented: 2,
    share: 0.5, // 2 / 4
    shareOfAttempts: 2 / 3, // 2 / (1 + 1 + 1)
  },
  units: {
    observedMs: 14_400_000, // 240 min
    // (65 + 70 + 0) min / (3 units × 240 min) = 135 / 720
    overall: 0.1875,
    list: [
      // D00001 [−20, 15) clipped to [0, 15) = 15 min; D00003 [30, 60) = 30 min; D00006 [220, 240) = 20 min → 65 min = 3,900,000 ms; 65/240.
      { unit: 'U01', callsign: 'OPALE 01', type: '4x4', assignments: 2, committedMs: 3_900_000, share: 65 / 240 },
      // D00002 [5, 60) = 55 min; D00004 [90, 105) = 15 min → 70 min = 4,200,000 ms; 70/240.
      { unit: 'U02', callsign: 'OPALE 02', type: 'quad', assignments: 2, committedMs: 4_200_000, share: 70 / 240 },
      { unit: 'U03', callsign: 'OPALE 03', type: 'boat', assignments: 0, committedMs: 0, share: 0 },
    ],
  },
  // No radar or AIS in this fixture (see 'fusion figures' below).
  fusion: {
    radarTracks: 0,
    identified: 0,
    share: null,
    darkContacts: {
      raised: 0,
      acknowledged: 0,
      unacknowledged: 0,
      stillOpen: 0,
      byOutcome: [
        { outcome: 'intercepted-on-beach', count: 0 },
        { outcome: 'launch-prevented', count: 0 },
        { outcome: 'handed-to-rescue', count: 0 },
        { outcome: 'false-alarm', count: 0 },
        { outcome: 'nothing-found', count: 0 },
      ],
    },
  },
};

describe('figures from the log', () => {
  let db: Db;
  before(() => {
    db = openDatabase(tempDataDir());
    const log = new EventLog(db, new ManualClock(T0 - 60 * MIN));
    log.append(FIXTURE);
    // Positions in the range, interleaved: the reader skips them, and there are enough to need several chunks.
    const positions: NewEvent[] = [];
    for (let i = 0; i < 25_000; i++)
      positions.push({ kind: 'unit.position', source: 'json:U03', payload: { u: 'U03', lat: 50.9, lon: 1.7 }, time: T0 + 230 * MIN + i });
    log.append(positions);
  });
  after(() => db.close());

  test('match the values computed by hand', async () => {
    const figures = await figuresFromLog(db, RANGE, { units: ROSTER, sectorNames: SECTORS });
    assert.deepEqual(figures, EXPECTED);
    assert.ok(Figures.safeParse(figures).success, 'inside the contract');
  });

  test('the same from events at hand as from the log', () => {
    const events = readEvents(db).map(toLoggedEvent);
    assert.deepEqual(computeFigures(events, RANGE, { units: ROSTER, sectorNames: SECTORS }), EXPECTED);
  });

  test('an empty range: zeros, no times, the roster idle', async () => {
    const figures = await figuresFromLog(db, { from: T0 - 10 * 24 * 60 * MIN, to: T0 - 9 * 24 * 60 * MIN }, { units: ROSTER });
    assert.deepEqual(figures.alerts, { total: 0, byKind: [], bySector: [] });
    const none = { count: 0, medianMs: null, p90Ms: null, incomplete: 0 };
    assert.deepEqual(figures.times, { acknowledge: none, dispatch: none, arrive: none });
    assert.equal(figures.incidents.closed, 0);
    assert.equal(figures.incidents.share, null);
    assert.equal(figures.incidents.shareOfAttempts, null);
    assert.equal(figures.units.overall, 0);
    assert.deepEqual(
      figures.units.list.map((u) => [u.unit, u.committedMs, u.share]),
      [
        ['U01', 0, 0],
        ['U02', 0, 0],
        ['U03', 0, 0],
      ],
    );
    assert.ok(Figures.safeParse(figures).success);
  });

  test('a range reaching past now stops at now: what is still going on is incomplete, commitments run to now', async () => {
    // now = T0 + 100 min: U02's D00004 [90, 105) is still on (and not yet arrived); I00003 still open.
    const figures = await figuresFromLog(db, RANGE, { units: ROSTER, now: T0 + 100 * MIN });
    assert.equal(figures.until, T0 + 100 * MIN);
    assert.equal(figures.units.observedMs, 100 * MIN);
    // U01: [0, 15) + [30, 60) = 45 min; U02: [5, 60) + [90, 100) = 65 min; (45 + 65) / (3 × 100).
    assert.deepEqual(
      figures.units.list.map((u) => u.committedMs / MIN),
      [45, 65, 0],
    );
    assert.equal(figures.units.overall, 110 / 300);
    assert.deepEqual(figures.times.arrive, { count: 2, medianMs: 600_000, p90Ms: 720_000, incomplete: 1 });
    // A00003 2 min, A00004 1 min, A00006 10 min; A00005 waiting → [60, 120, 600]: median 120 s, p90 600 s.
    assert.deepEqual(figures.times.acknowledge, { count: 3, medianMs: 120_000, p90Ms: 600_000, incomplete: 1 });
    assert.deepEqual([figures.incidents.opened, figures.incidents.closed, figures.incidents.stillOpen], [2, 2, 1]);
    assert.equal(figures.alerts.total, 4);
  });

  test('now before the range begins: nothing observed yet', async () => {
    const figures = await figuresFromLog(db, RANGE, { units: ROSTER, now: T0 - MIN });
    assert.equal(figures.until, T0);
    assert.equal(figures.units.observedMs, 0);
    assert.equal(figures.units.overall, null);
    assert.equal(figures.alerts.total, 0);
  });

  test('an alert raised before the range and acknowledged in it is not counted; one acknowledged later is incomplete', async () => {
    // [T0 − 10 min, T0 + 2 min): A00002 raised at −5, acknowledged at +3 (after the range): incomplete; A00003 raised at 0,
    // acknowledged at 2 = the range's end (excluded): incomplete too.
    const figures = await figuresFromLog(db, { from: T0 - 10 * MIN, to: T0 + 2 * MIN });
    assert.deepEqual(figures.times.acknowledge, { count: 0, medianMs: null, p90Ms: null, incomplete: 2 });
    // [T0, T0 + 10 min): A00002's acknowledgement at +3 falls inside, its raise does not: not a sample.
    const later = await figuresFromLog(db, { from: T0, to: T0 + 10 * MIN });
    assert.deepEqual(later.times.acknowledge, { count: 1, medianMs: 120_000, p90Ms: 120_000, incomplete: 0 });
  });

  test('the commitment lookback is a day', () => {
    assert.equal(COMMITMENT_LOOKBACK_MS, 86_400_000);
  });
});

describe('nearest-rank percentiles', () => {
  test('rank ⌈p/100 × n⌉ of the sorted values', () => {
    assert.equal(nearestRank([], 50), null);
    assert.equal(nearestRank([7], 90), 7);
    // n = 4: median rank ⌈2⌉ = 2 (the lower middle, an observed value), p90 rank ⌈3.6⌉ = 4.
    assert.equal(nearestRank([10, 20, 30, 40], 50), 20);
    assert.equal(nearestRank([10, 20, 30, 40], 90), 40);
    // n = 10: p90 rank 9.
    assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  });
});

describe('figures as CSV', () => {
  test('RFC 4180: header row, quoted fields, CRLF, one row per number', () => {
    const csv = figuresToCsv(EXPECTED);
    assert.ok(csv.endsWith('\r\n'));
    const lines = csv.split('\r\n').slice(0, -1);
    assert.equal(lines[0], 'table,key,label,measure,value');
    assert.ok(lines.every((line) => !line.includes('\n')));
    for (const line of [
      'range,,,from,2026-11-26T20:00:00.000Z',
      'range,,,to,2026-11-27T00:00:00.000Z',
      'alerts,,,total,7',
      'alerts-by-kind,boat-launch,,count,3',
      'alerts-by-sector,S07,"Sangatte, ""Les Salines""",total,3',
      'alerts-by-sector,S07,"Sangatte, ""Les Salines""",boat-launch,2',
      'alerts-by-sector,none,,suspicious-activity,1',
      'times,acknowledge,,median_s,120',
      'times,acknowledge,,p90_s,600',
      'times,dispatch,,median_s,300',
      'times,arrive,,p90_s,720',
      'times,arrive,,incomplete,2',
      'incidents,,,share_intercepted_or_prevented,0.5',
      'incidents,,,share_of_attempts,0.666667',
      'incidents-by-outcome,nothing-found,,count,0',
      'units,all,,share,0.1875',
      'units,U01,OPALE 01,committed_s,3900',
      'units,U02,OPALE 02,share,0.291667',
    ]) {
      assert.ok(lines.includes(line), `missing ${line}`);
    }
    // Every row has the header's five fields (parsed the RFC 4180 way).
    for (const line of lines) assert.equal(parseCsvLine(line).length, 5, line);
    assert.deepEqual(parseCsvLine(lines.find((line) => line.startsWith('alerts-by-sector,S07'))!), [
      'alerts-by-sector',
      'S07',
      'Sangatte, "Les Salines"',
      'total',
      '3',
    ]);
  });

  test('fields: empty for null, quotes doubled, formulas defused in names', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(1e-7), '0');
    const csv = figuresToCsv({
      ...EXPECTED,
      units: { ...EXPECTED.units, list: [{ unit: 'U09', callsign: '=HYPERLINK("x")', type: null, assignments: 0, committedMs: 0, share: 0 }] },
    });
    assert.ok(csv.includes(`units,U09,"'=HYPERLINK(""x"")",share,0`), csv);
  });
});

/** A minimal RFC 4180 line parser for the checks above. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        field += line.slice(i, quote);
        i = quote + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const comma = line.indexOf(',', i);
      field = line.slice(i, comma < 0 ? line.length : comma);
      i = comma < 0 ? line.length : comma;
    }
    fields.push(field);
    if (line[i] !== ',') return fields;
    i++;
  }
}

describe('figures through the core’s contract', () => {
  const site: Site = {
    version: 1,
    name: 'figures test post',
    escalateAfterSeconds: 600,
    coverageEtaMinutes: 15,
    listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 5000 },
    sensors: [
      {
        id: 'CAM-1',
        kind: 'camera',
        name: 'Camera Sangatte',
        position: [1.753, 50.944],
        bearing: 320,
        fieldOfView: 70,
        rangeMeters: 3000,
        heartbeatSeconds: 3600,
      },
    ],
    units: [
      { id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } },
      { id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.8, 50.95], device: { protocol: 'json' } },
      { id: 'U03', callsign: 'OPALE 03', type: 'boat', crew: 4, home: [1.85, 50.97], device: { protocol: 'json' } },
    ],
  };
  let core: RunningCore;
  const dir = tempDataDir();
  let session: string | undefined;
  type Answer = { status: number; body: { ok: boolean; result?: unknown; error?: { code: string; message: string } } };
  async function call(method: string, params: object): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${core.secret}`, 'content-type': 'application/json' };
    if (session) headers['x-vigie-session'] = session;
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
    return { status: response.status, body: (await response.json()) as never };
  }
  /** Signs in as a first supervisor where the core has accounts (figures are readable by every role). */
  async function signIn(): Promise<void> {
    const setup = await call('setup.status', {});
    if (!setup.body.ok) return;
    if ((setup.body.result as { needsFirstSupervisor: boolean }).needsFirstSupervisor)
      await call('setup.createSupervisor', { name: 'chef', password: 'correct horse battery staple' });
    const signedIn = await call('session.signIn', { name: 'chef', password: 'correct horse battery staple' });
    assert.ok(signedIn.body.ok, JSON.stringify(signedIn.body));
    session = (signedIn.body.result as { session: string }).session;
  }

  before(async () => {
    fs.writeFileSync(path.join(dir, 'site.json'), JSON.stringify(site));
    // The core's clock is well after the fixture night, so the whole range has happened.
    core = await startCore({
      dataDir: path.join(dir, 'data'),
      logger: silentLogger,
      siteFile: path.join(dir, 'site.json'),
      rendererDir: dir,
      feeds: false,
      clock: new ManualClock(T0 + 48 * 60 * MIN),
    });
    // S07–S09 are shipped sectors too: the core names them from its own sector table.
    core.log.append(FIXTURE);
    await signIn();
  });
  after(() => core.stop());

  test('figures.get answers the hand-computed figures, sector names from the shipped coast', async () => {
    const { status, body } = await call('figures.get', RANGE);
    assert.equal(status, 200, JSON.stringify(body));
    const figures = body.result as Figures;
    const names = new Map(figures.alerts.bySector.map((s) => [s.sector, s.name]));
    assert.ok(typeof names.get('S07') === 'string' && names.get('S07')!.length > 0);
    assert.deepEqual(
      { ...figures, alerts: { ...figures.alerts, bySector: figures.alerts.bySector.map((s) => ({ ...s, name: null })) } },
      { ...EXPECTED, alerts: { ...EXPECTED.alerts, bySector: EXPECTED.alerts.bySector.map((s) => ({ ...s, name: null })) } },
    );
  });

  test('figures.csv answers the same figures as CSV', async () => {
    const { status, body } = await call('figures.csv', RANGE);
    assert.equal(status, 200);
    const csv = (body.result as { csv: string }).csv;
    assert.match(csv, /^table,key,label,measure,value\r\n/);
    assert.ok(csv.includes('\r\ntimes,acknowledge,,median_s,120\r\n'));
    assert.ok(csv.includes('\r\nunits,U01,OPALE 01,committed_s,3900\r\n'));
  });

  test('a range that ends before it starts, or spans more than a year, is refused', async () => {
    assert.equal((await call('figures.get', { from: T0, to: T0 })).body.error?.code, 'bad-request');
    assert.equal((await call('figures.get', { from: T0, to: T0 + 367 * 24 * 60 * MIN })).body.error?.code, 'bad-request');
    assert.equal(requests['figures.csv'].params.safeParse({ from: 1, to: 2, shift: 'x' }).success, false);
  });
});

describe('fusion figures', () => {
  test('share of radar tracks identified; dark contacts and how their incidents ended', () => {
    const track = (minute: number, t: string, lost?: 1) =>
      ev(minute, 'track.update', { s: 'RAD-GRISNEZ', t, lat: 50.9, lon: 1.5, cls: 'vessel', ...(lost ? { lost } : {}) });
    const events: NewEvent[] = [
      track(-5, 'RAD-GRISNEZ:0'), // before the range: not counted
      track(1, 'RAD-GRISNEZ:1'),
      track(2, 'RAD-GRISNEZ:2'),
      track(3, 'RAD-GRISNEZ:3'),
      track(4, 'RAD-GRISNEZ:4'),
      ev(5, 'ais.associated', { t: 'RAD-GRISNEZ:1', m: 227000001, conf: 0.9 }),
      ev(6, 'ais.associated', { t: 'RAD-GRISNEZ:2', m: 227000002, conf: 0.8 }),
      ev(7, 'ais.associated', { t: 'RAD-GRISNEZ:2', m: 227000002, conf: 0.85 }), // re-associated: still one track
      ev(8, 'alert.raised', { id: 'A00001', kind: 'dark-contact', sev: 'high', s: 'RAD-GRISNEZ', subj: 'dark:RAD-GRISNEZ:3', why: ['no-ais'] }),
      ev(8, 'alert.raised', { id: 'A00002', kind: 'dark-contact', sev: 'high', s: 'RAD-GRISNEZ', subj: 'dark:RAD-GRISNEZ:4', why: ['no-ais'] }),
      ev(9, 'alert.raised', { id: 'A00003', kind: 'dark-contact', sev: 'high', s: 'RAD-GRISNEZ', subj: 'dark:RAD-GRISNEZ:5', why: ['no-ais'] }),
      ...opened(10, 'I00001', 'A00001'),
      ...opened(11, 'I00002', 'A00002'),
      closed(30, 'I00001', 'intercepted-on-beach'),
    ];
    const figures = computeFigures(
      events.map((event, i) => ({ seq: i + 1, time: event.time!, kind: event.kind, source: event.source, operator: null, payload: event.payload })),
      RANGE,
    );
    assert.deepEqual(figures.fusion, {
      radarTracks: 4,
      identified: 2,
      share: 0.5,
      darkContacts: {
        raised: 3,
        acknowledged: 2,
        unacknowledged: 1,
        stillOpen: 1,
        byOutcome: [
          { outcome: 'intercepted-on-beach', count: 1 },
          { outcome: 'launch-prevented', count: 0 },
          { outcome: 'handed-to-rescue', count: 0 },
          { outcome: 'false-alarm', count: 0 },
          { outcome: 'nothing-found', count: 0 },
        ],
      },
    });
    assert.ok(figuresToCsv(figures).includes('fusion,,,share_identified,0.5\r\n'));
  });
});
