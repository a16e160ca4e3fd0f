// The live picture: the core's now, loaded whole after a sign-in or a
// reconnect (picture.get) and kept in step by every picture.delta — in replay
// mode too, where it is not shown but stays current, so that leaving replay
// shows it at once, as it is (nothing re-fetched, nothing set aside).
import type { StateCreator } from 'zustand';
import type { LogStatus, Sector } from '../../../shared/contract';
import { emptyPicture, newAlertCount, wholePicture, withDelta, type Picture, type PictureDelta, type WholePicture } from '../picture';
import type { ConsoleState } from '../store';

export interface LiveSlice {
  /** The live picture (panels' data, and its positions for the map's canvas). */
  live: Picture;
  /** The live log (picture.get, then every log.appended): the status bar shows it in replay mode too. */
  log: LogStatus | null;
  setLivePicture(whole: WholePicture): void;
  /** A live delta: always to the live picture; while a replay is on screen, its new alerts are counted for the replay bar. */
  applyLiveDelta(delta: PictureDelta): void;
  setLog(log: LogStatus): void;
  /** The sectors after a supervisor's edit (the core's pushed `sectors.changed`, issue 6). */
  setLiveSectors(sectors: Sector[]): void;
}

export const createLiveSlice: StateCreator<ConsoleState, [], [], LiveSlice> = (set, get) => ({
  live: emptyPicture(),
  log: null,
  setLivePicture: (whole) => set((state) => ({ live: wholePicture(state.live, whole), log: whole.log })),
  applyLiveDelta: (delta) => {
    const { live, replay } = get();
    const fresh = replay ? newAlertCount(live, delta.alerts) : 0;
    const next = withDelta(live, delta);
    // Nothing the panels show changed (units that only moved): no listener runs.
    if (next === live && fresh === 0) return;
    set(replay && fresh > 0 ? { live: next, replay: { ...replay, liveAlertsWaiting: replay.liveAlertsWaiting + fresh } } : { live: next });
  },
  setLog: (log) => set({ log }),
  setLiveSectors: (sectors) => set((state) => ({ live: { ...state.live, sectors } })),
});
