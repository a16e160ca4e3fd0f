// The console store's two pictures (renderer/state): live deltas always go to
// the live picture, in replay mode too, and never to the replayed one; the
// map, the panels and the picture clock follow the picture shown; leaving
// replay shows the live picture as it now is, with nothing fetched. These are
// the leaks the replay fixes were about, proved on the store itself (it has no
// DOM dependency: no React, no Leaflet).
import { packTracks } from '../../shared/contract';
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import type * as Store from '../../renderer/state/store';
import type { AlertView, IncidentView, ReplayPicture, RequestResult, Sector, TrackView, UnitView } from '../../shared/contract';

let store: typeof Store;
const state = () => store.useConsole.getState();

before(async () => {
  // The language slice starts from the browser's language (absent from Node 20).
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { language: 'en' }, configurable: true });
  store = await import('../../renderer/state/store');
});

const T0 = Date.parse('2026-11-26T23:40:00Z');
const HASH = 'a'.repeat(64);

const sector = (id: string, name: string): Sector => ({
  id,
  name,
  risk: 'high',
  order: 1,
  ring: [
    [1.7, 50.9],
    [1.8, 50.9],
    [1.8, 51],
    [1.7, 50.9],
  ],
});
const alert = (id: string, time: number, status: AlertView['status'] = 'new'): AlertView => ({
  id,
  kind: 'boat-launch',
  severity: 'high',
  sensor: 'CAM-1',
  subject: null,
  lat: 50.95,
  lon: 1.74,
  sector: 'S01',
  confidence: 0.9,
  count: null,
  time,
  status,
  escalated: false,
  incident: null,
});
const track = (id: string, lon: number, time: number): TrackView => ({
  id,
  sensor: 'RAD-1',
  cls: 'vessel',
  lat: 50.9,
  lon,
  course: 90,
  speed: 10,
  sector: null,
  time,
  stale: null,
});
const unit = (id: string, lon: number, time: number): UnitView => ({
  id,
  callsign: `OPALE ${id}`,
  type: '4x4',
  crew: 2,
  status: 'available',
  assignment: null,
  lat: 50.93,
  lon,
  heading: null,
  speed: null,
  fixTime: time,
});
const incident = (id: string, alerts: string[]): IncidentView => ({
  id,
  status: 'open',
  lat: 50.95,
  lon: 1.74,
  sector: 'S01',
  alerts,
  assignments: [],
  openedAt: T0,
  closedAt: null,
  outcome: null,
  notes: '',
  noteLog: [],
  owner: 'marie',
});
const noDelta = { incidents: [], units: [], tracks: packTracks([]), tracksRemoved: [], alerts: [], sensors: [] };

function livePicture(): RequestResult<'picture.get'> {
  return {
    sectors: [sector('S01', 'Sangatte')],
    sensors: [],
    units: [unit('U01', 1.76, T0)],
    tracks: [track('RAD-1:1', 1.5, T0)],
    alerts: [alert('A00001', T0)],
    incidents: [],
    log: { events: 10, lastSeq: 10, blocks: 2, headHash: HASH },
  };
}

/** A replayed moment of shift 1 (a past night: other alert, other track, an incident). */
function moment(time: number, seq: number, picture: Partial<ReplayPicture> = {}): RequestResult<'replay.at'> {
  return {
    shift: 1,
    time,
    seq,
    picture: {
      sectors: [sector('S01', 'Sangatte (then)')],
      sensors: [],
      units: [unit('U01', 1.7, time)],
      tracks: [track('RAD-1:77', 1.6 + (time - T0) / 1e7, time - 1000)],
      alerts: [alert('A00077', T0 - 3_600_000, 'acknowledged')],
      incidents: [incident('I00007', ['A00077'])],
      ...picture,
    },
  };
}

const ids = (items: { id: string }[]) => items.map((item) => item.id);

beforeEach(() => {
  state().leaveReplay();
  state().setLivePicture(livePicture());
});

describe('console store: the live picture and the replayed one', () => {
  test('live deltas during a replay update the live picture, not the replayed one; back to live shows them', () => {
    state().enterReplay();
    state().chooseReplayShift(1);
    state().showReplayed(moment(T0 - 3_000_000, 500));
    const replayed = store.shownPicture();
    assert.deepEqual(ids(replayed.alerts), ['A00077']);
    assert.deepEqual([...store.shownPositions().tracks.keys()], ['RAD-1:77']);

    state().applyLiveDelta({
      ...noDelta,
      alerts: [alert('A00002', T0 + 5000)],
      tracks: packTracks([track('RAD-1:2', 1.55, T0 + 5000)]),
      units: [unit('U01', 1.77, T0 + 5000)],
      incidents: [incident('I00001', ['A00002'])],
    });
    state().setLiveSectors([sector('S01', 'Sangatte (renamed)')]);

    // The replayed picture is untouched: the very same arrays, positions and moment.
    const shown = store.shownPicture();
    assert.equal(shown.alerts, replayed.alerts);
    assert.equal(shown.incidents, replayed.incidents);
    assert.equal(shown.sectors, replayed.sectors);
    assert.equal(shown.units, replayed.units);
    assert.equal(shown.time, T0 - 3_000_000);
    assert.deepEqual([...store.shownPositions().tracks.keys()], ['RAD-1:77']);
    assert.equal(store.shownPositions().units.get('U01')?.lon, 1.7);
    assert.equal(store.pictureNow(), T0 - 3_000_000);
    // The live picture has it all.
    const { live } = state();
    assert.deepEqual(ids(live.alerts), ['A00002', 'A00001']);
    assert.deepEqual(ids(live.incidents), ['I00001']);
    assert.equal(live.sectors[0]!.name, 'Sangatte (renamed)');
    assert.deepEqual([...live.positions.tracks.keys()], ['RAD-1:1', 'RAD-1:2']);
    assert.equal(live.trackCount, 2);
    assert.equal(live.positions.units.get('U01')?.lon, 1.77);
    assert.equal(state().replay?.liveAlertsWaiting, 1);

    // Back to live: the live picture at once, as it now is.
    state().leaveReplay();
    assert.equal(store.shownPicture(), state().live);
    assert.deepEqual(ids(store.shownPicture().alerts), ['A00002', 'A00001']);
    assert.deepEqual([...store.shownPositions().tracks.keys()], ['RAD-1:1', 'RAD-1:2']);
    assert.ok(Math.abs(store.pictureNow() - Date.now()) < 1000, 'the picture clock is the wall clock again');
  });

  test('new live alerts are counted once each while replaying, from zero at each entry', () => {
    state().enterReplay();
    assert.equal(state().replay?.liveAlertsWaiting, 0);
    // Known at entry, or only updated: not new.
    state().applyLiveDelta({ ...noDelta, alerts: [alert('A00001', T0, 'acknowledged')] });
    assert.equal(state().replay?.liveAlertsWaiting, 0);
    state().applyLiveDelta({ ...noDelta, alerts: [alert('A00002', T0 + 1000), alert('A00003', T0 + 1000)] });
    state().applyLiveDelta({ ...noDelta, alerts: [alert('A00002', T0 + 1000, 'acknowledged')] });
    assert.equal(state().replay?.liveAlertsWaiting, 2);
    state().leaveReplay();
    state().applyLiveDelta({ ...noDelta, alerts: [alert('A00004', T0 + 2000)] });
    state().enterReplay();
    assert.equal(state().replay?.liveAlertsWaiting, 0);
  });

  test('a replayed moment arriving after replay was left, or for another shift, changes nothing', () => {
    state().enterReplay();
    state().chooseReplayShift(1);
    state().leaveReplay();
    const before = state();
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.equal(state(), before, 'not a single field changed');
    assert.deepEqual(ids(store.shownPicture().alerts), ['A00001']);
    assert.deepEqual([...store.shownPositions().tracks.keys()], ['RAD-1:1']);

    state().enterReplay();
    state().chooseReplayShift(2);
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.deepEqual(store.shownPicture().alerts, []);
    assert.equal(store.shownPositions().tracks.size, 0);
  });

  test('another log (an archive, or back to the live one) starts with no shift and an empty picture', () => {
    state().enterReplay();
    assert.equal(state().replay?.archive, null);
    state().chooseReplayShift(1);
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.ok(store.shownPicture().alerts.length > 0);
    state().chooseReplayArchive('archives/vigie-2026-10-01--2026-11-01.vigie-archive');
    assert.equal(state().replay?.archive, 'archives/vigie-2026-10-01--2026-11-01.vigie-archive');
    assert.equal(state().replay?.shift, null);
    assert.deepEqual(store.shownPicture().alerts, []);
    // The same archive again changes nothing; a shift of it replays as from the live log.
    const before = state().replay;
    state().chooseReplayArchive('archives/vigie-2026-10-01--2026-11-01.vigie-archive');
    assert.equal(state().replay, before);
    state().chooseReplayShift(1);
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.ok(store.shownPicture().alerts.length > 0);
    state().chooseReplayArchive(null);
    assert.deepEqual([state().replay?.archive, state().replay?.shift], [null, null]);
    state().leaveReplay();
  });

  test('entering and leaving replay, nothing selected in one picture stays selected in the other', () => {
    state().selectAlert('A00001');
    state().selectIncident('I00001');
    state().pick({ kind: 'track', id: 'RAD-1:1' }, true);
    state().enterReplay();
    assert.equal(state().selectedAlert, null);
    assert.equal(state().selectedIncident, null);
    assert.equal(state().picked, null);
    state().chooseReplayShift(1);
    // The incident panel follows the replay: the newest replayed incident.
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.equal(state().selectedIncident, 'I00007');
    state().leaveReplay();
    assert.equal(state().selectedIncident, null);
  });

  test('a played frame renews only what changed; a live delta of moving units alone renews nothing', () => {
    state().enterReplay();
    state().chooseReplayShift(1);
    state().showReplayed(moment(T0 - 3_000_000, 500));
    const first = store.shownPicture();
    state().showReplayed(moment(T0 - 2_999_980, 501));
    const next = store.shownPicture();
    for (const panel of ['sectors', 'sensors', 'alerts', 'incidents'] as const) assert.equal(next[panel], first[panel], `${panel} kept`);
    assert.equal(next.time, T0 - 2_999_980);
    assert.equal(state().replay?.shownSeq, 501);
    assert.equal(store.shownPositions().trackTrail('RAD-1:77')?.length, 2, 'the replayed track moved, with its trail');

    let notified = 0;
    const unsubscribe = store.useConsole.subscribe(() => (notified += 1));
    state().applyLiveDelta({ ...noDelta, units: [unit('U01', 1.78, T0 + 9000)], tracks: packTracks([track('RAD-1:1', 1.51, T0 + 9000)]) });
    unsubscribe();
    assert.equal(notified, 0);
    assert.equal(state().live.positions.tracks.get('RAD-1:1')?.lon, 1.51);
  });

  test('the canvas is told when the shown positions move, or another picture is shown — not when the hidden one moves', () => {
    let told = 0;
    const unsubscribe = store.subscribeShownPositions(() => (told += 1));
    const liveMove = () => state().applyLiveDelta({ ...noDelta, tracks: packTracks([track('RAD-1:1', 1.5 + Math.random() / 100, T0)]) });
    liveMove();
    assert.equal(told, 1);
    state().enterReplay();
    assert.equal(told, 2, 'the replayed picture is shown');
    state().chooseReplayShift(1);
    assert.equal(told, 3, 'another shift: its own, empty positions');
    liveMove();
    assert.equal(told, 3, 'the live picture moves unseen');
    state().showReplayed(moment(T0 - 3_000_000, 500));
    assert.equal(told, 4);
    state().leaveReplay();
    assert.equal(told, 5, 'the live picture is shown again');
    unsubscribe();
    liveMove();
    assert.equal(told, 5);
  });

  test('signing out leaves replay: the next operator signs in to the live picture', () => {
    state().enterReplay();
    state().chooseReplayShift(1);
    assert.notEqual(state().replay, null);
    state().signedOut();
    assert.equal(state().replay, null);
    assert.equal(store.shownPicture(), state().live);
  });
});
