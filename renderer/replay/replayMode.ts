// Entering and leaving replay mode. While it is on, the store's picture
// slices and the live store (map canvas) hold the replayed moment, live
// deltas are set aside (main.tsx), and leaving reloads the live picture whole
// — so nothing of the live core leaks into a replay, nor of a replay into
// live. Except one thing: a new live alert still sounds, and the replay bar
// counts them, so an operator replaying a shift does not miss a launch.
import type { AlertView, ReplayPicture, UnitView } from '../../shared/contract';
import { announceNewAlerts } from '../sound/alertSounds';
import { callCore } from '../core/activeClient';
import { liveStore } from '../state/liveStore';
import { setReplayedMoment } from '../state/pictureClock';
import { useConsole, type ConsoleState } from '../state/store';

/** The live alerts as last known while a replay is on screen (the store holds the replayed ones). */
let liveAlerts = new Map<string, AlertView>();

export function enterReplay(): void {
  const store = useConsole.getState();
  if (store.replay) return;
  liveAlerts = new Map(store.alerts.map((alert) => [alert.id, alert]));
  useConsole.setState({ liveAlertsWaiting: 0 });
  store.selectAlert(null);
  store.selectIncident(null);
  store.setMergeProposal(null);
  store.pick(null);
  store.setReplay({ shift: null });
}

export async function exitReplay(): Promise<void> {
  const store = useConsole.getState();
  if (!store.replay) return;
  store.selectAlert(null);
  store.selectIncident(null);
  store.pick(null);
  store.setReplay(null);
  useConsole.setState({ liveAlertsWaiting: 0 });
  callCore('replay.close', {}).catch(() => undefined);
  const picture = await callCore('picture.get', {});
  if (useConsole.getState().replay) return;
  setReplayedMoment(null);
  liveStore.reset(picture.tracks, picture.units);
  store.setPicture({ sectors: picture.sectors, sensors: picture.sensors, units: picture.units, alerts: picture.alerts, incidents: picture.incidents, trackCount: picture.tracks.length, log: picture.log });
}

/** Shows the replayed moment `time` on the map and in the panels (tracks and units move with trails, as live). */
export function showReplayed(picture: ReplayPicture, time: number): void {
  const store = useConsole.getState();
  if (!store.replay) return;
  setReplayedMoment(time);
  const present = new Set(picture.tracks.map((track) => track.id));
  const removed = [...liveStore.tracks.keys()].filter((id) => !present.has(id));
  const goneUnits = [...liveStore.units.keys()].some((id) => !picture.units.some((unit) => unit.id === id));
  if (goneUnits) liveStore.reset(picture.tracks, picture.units);
  else liveStore.apply(picture.tracks, removed, picture.units);
  // Played at 60×, a new moment arrives every frame: only the panels whose
  // content changed get new arrays, so an unchanged alert queue, sector list
  // or sensor layer is not rendered again (unit positions live in liveStore).
  const changed: Partial<Pick<ConsoleState, 'sectors' | 'sensors' | 'units' | 'alerts' | 'incidents' | 'trackCount'>> = {};
  if (sectorsKey(store.sectors) !== sectorsKey(picture.sectors)) changed.sectors = picture.sectors;
  if (!sameContent(store.sensors, picture.sensors)) changed.sensors = picture.sensors;
  if (!sameContent(store.units.map(roster), picture.units.map(roster))) changed.units = picture.units;
  if (!sameContent(store.alerts, picture.alerts)) changed.alerts = picture.alerts;
  if (!sameContent(store.incidents, picture.incidents)) changed.incidents = picture.incidents;
  if (store.trackCount !== picture.tracks.length) changed.trackCount = picture.tracks.length;
  if (Object.keys(changed).length > 0) useConsole.setState(changed);
  // The incident panel follows the replay: the selected incident, else the newest open one.
  if (store.selectedIncident && !picture.incidents.some((incident) => incident.id === store.selectedIncident)) store.selectIncident(null);
  if (!useConsole.getState().selectedIncident && picture.incidents.length > 0) store.selectIncident(picture.incidents[picture.incidents.length - 1]!.id);
}

const sameContent = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Sectors change rarely (an edit in the shift): compared by a flat key, cheaper than their JSON. */
const sectorsKey = (sectors: ConsoleState['sectors']) => sectors.map((sector) => `${sector.id}|${sector.name}|${sector.risk}|${sector.ring.flat().join(',')}`).join(';');
/** What the panels show of a unit (its position is drawn from liveStore). */
const roster = (unit: UnitView) => [unit.id, unit.status, unit.assignment, unit.lat === null];

/** A live delta's alerts while a replay is on screen: new ones sound and are counted for the replay bar. */
export function noteLiveAlerts(changed: AlertView[]): void {
  if (changed.length === 0) return;
  announceNewAlerts(changed, liveAlerts);
  let fresh = 0;
  for (const alert of changed) {
    if (alert.status === 'new' && !liveAlerts.has(alert.id)) fresh += 1;
    liveAlerts.set(alert.id, alert);
  }
  if (fresh > 0) useConsole.setState((state) => ({ liveAlertsWaiting: state.liveAlertsWaiting + fresh }));
}

/** A fresh start of the picture (a new shift chosen): no trails from the previous one. */
export function resetReplayed(): void {
  liveStore.reset([], []);
}
